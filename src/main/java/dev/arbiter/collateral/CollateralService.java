// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral;

import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.CollateralCheck;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The collateral store: files are checked on import by every enabled scheme (signature chains to
 * the pinned roots, dates), stored only when every file is recognized and valid (one transaction
 * with its audit record), and served to appraisal from memory — for each format, the newest
 * current file per kind and key — so the hot path reads no database. Thread-safe.
 */
public final class CollateralService {
  private final Jdbi jdbi;
  private final SchemeRegistry schemes;
  private final AuditLog audit;
  private final Clock clock;
  private volatile Map<String, List<EvidenceInput.Collateral>> current = Map.of();

  public CollateralService(Jdbi jdbi, SchemeRegistry schemes, AuditLog audit, Clock clock) {
    this.jdbi = jdbi;
    this.schemes = schemes;
    this.audit = audit;
    this.clock = clock;
    reload();
  }

  /** One stored file's metadata. */
  public record Entry(long id, String format, String kind, String key, String name, String sha256, Optional<Instant> nextUpdate,
      Instant importedAt, String importedBy) {
    public boolean expiredAt(Instant now) {
      return nextUpdate.map(now::isAfter).orElse(false);
    }
  }

  /** Imports files; all or nothing. @return the entries stored (already-known files are skipped) */
  public List<Entry> importFiles(Principal who, List<EvidenceInput.Collateral> files) {
    if (files.isEmpty()) {
      throw new ProblemException(CollateralProblem.COLLATERAL_REJECTED, "no files to import");
    }
    VerificationContext context = VerificationContext.of(clock);
    List<Problem> problems = new ArrayList<>();
    record Accepted(EvidenceInput.Collateral file, String format, CollateralCheck check) {}
    List<Accepted> accepted = new ArrayList<>();
    Map<String, List<CollateralCheck>> checks = new LinkedHashMap<>();
    for (EvidenceScheme scheme : schemes.all()) {
      checks.put(scheme.descriptor().id(), scheme.checkCollateral(files, context));
    }
    for (int i = 0; i < files.size(); i++) {
      EvidenceInput.Collateral file = files.get(i);
      boolean recognized = false;
      boolean acceptedByAny = false;
      List<Problem> fileProblems = new ArrayList<>();
      for (EvidenceScheme scheme : schemes.all()) {
        CollateralCheck check = checks.get(scheme.descriptor().id()).get(i);
        if (!check.recognized()) {
          continue;
        }
        recognized = true;
        if (check.valid()) {
          accepted.add(new Accepted(file, scheme.descriptor().id(), check));
          acceptedByAny = true;
        } else {
          check.problems().forEach(p -> fileProblems.add(Problem.of(p.type(), file.name() + " (" + scheme.descriptor().id() + "): " + p.detail())));
        }
      }
      if (!recognized) {
        problems.add(Problem.of(CollateralProblem.COLLATERAL_UNRECOGNIZED, file.name() + " is not collateral any enabled scheme recognizes"));
      } else if (!acceptedByAny) {
        problems.addAll(fileProblems); // stored for the schemes that accept it; refused when none does
      }
    }
    if (!problems.isEmpty()) {
      List<Problem> all = new ArrayList<>();
      all.add(Problem.of(CollateralProblem.COLLATERAL_REJECTED, problems.size() + " problem(s); nothing was imported"));
      all.addAll(problems);
      throw new ProblemException(all);
    }
    Instant now = clock.instant();
    List<Entry> stored = jdbi.inTransaction(handle -> {
      List<Entry> out = new ArrayList<>();
      for (Accepted item : accepted) {
        String sha = Hex.encode(Digests.sha256(item.file().bytes()));
        Optional<Long> id = handle.createQuery("insert into collateral(format, kind, key, name, sha256, content, next_update, imported_at, imported_by) "
                + "values (:f, :kind, :key, :name, :sha, :content, :next, :now, :by) on conflict (format, sha256) do nothing returning id")
            .bind("f", item.format()).bind("kind", item.check().kind()).bind("key", item.check().key()).bind("name", item.file().name())
            .bind("sha", sha).bind("content", item.file().bytes()).bind("next", item.check().nextUpdate().orElse(null)).bind("now", now)
            .bind("by", who.label()).mapTo(Long.class).findOne();
        id.ifPresent(value -> out.add(new Entry(value, item.format(), item.check().kind(), item.check().key(), item.file().name(), sha,
            item.check().nextUpdate(), now, who.label())));
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("files", files.size());
      details.put("stored", out.stream().map(e -> Map.of("format", e.format(), "kind", e.kind(), "key", e.key(), "sha256", e.sha256())).toList());
      audit.append(dev.arbiter.store.Tx.of(handle), who, "collateral.import", "collateral", "collateral import", Optional.empty(), details);
      return out;
    });
    reload();
    return stored;
  }

  public List<Entry> list() {
    return jdbi.withHandle(handle -> handle.createQuery(
            "select id, format, kind, key, name, sha256, next_update, imported_at, imported_by from collateral order by format, kind, key, id")
        .map((rs, ctx) -> new Entry(rs.getLong("id"), rs.getString("format"), rs.getString("kind"), rs.getString("key"), rs.getString("name"),
            rs.getString("sha256"), Optional.ofNullable(rs.getTimestamp("next_update")).map(java.sql.Timestamp::toInstant),
            rs.getTimestamp("imported_at").toInstant(), rs.getString("imported_by")))
        .list());
  }

  /** Rebuilds the in-memory view: per format, the newest current file for each kind and key. */
  public void reload() {
    Instant now = clock.instant();
    Map<String, Map<String, EvidenceInput.Collateral>> newest = new LinkedHashMap<>();
    Map<String, Instant> newestAt = new ConcurrentHashMap<>();
    jdbi.useHandle(handle -> handle.createQuery("select format, kind, key, name, content, next_update, imported_at from collateral "
            + "where next_update is null or next_update > :now order by imported_at")
        .bind("now", now)
        .map((rs, ctx) -> {
          String format = rs.getString("format");
          String slot = rs.getString("kind") + "|" + rs.getString("key");
          Instant rank = Optional.ofNullable(rs.getTimestamp("next_update")).map(java.sql.Timestamp::toInstant)
              .orElse(rs.getTimestamp("imported_at").toInstant());
          String id = format + "|" + slot;
          if (!newestAt.containsKey(id) || !rank.isBefore(newestAt.get(id))) {
            newestAt.put(id, rank);
            newest.computeIfAbsent(format, f -> new LinkedHashMap<>()).put(slot, new EvidenceInput.Collateral(rs.getString("name"), rs.getBytes("content")));
          }
          return null;
        }).list());
    Map<String, List<EvidenceInput.Collateral>> out = new LinkedHashMap<>();
    newest.forEach((format, slots) -> out.put(format, List.copyOf(slots.values())));
    current = Map.copyOf(out);
  }

  /** Stored collateral for a format (no I/O). */
  public List<EvidenceInput.Collateral> forFormat(String format) {
    return current.getOrDefault(format, List.of());
  }

  /** How many stored files are past their next update (for metrics and status). */
  public long expiredCount() {
    Instant now = clock.instant();
    return list().stream().filter(entry -> entry.expiredAt(now)).count();
  }
}
