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
import dev.arbiter.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collateral store: files are checked on import by every enabled scheme (signature chains to
 * the pinned roots, dates), stored only when every file is recognized and valid (one transaction
 * with its audit record), and served to appraisal from memory — for each format, the newest current
 * file per kind and key — so the hot path reads no database. Thread-safe.
 */
public final class CollateralService {
  private final Database database;
  private final SchemeRegistry schemes;
  private final AuditLog audit;
  private final Clock clock;
  private volatile Map<String, List<EvidenceInput.Collateral>> current = Map.of();

  public CollateralService(Database database, SchemeRegistry schemes, AuditLog audit, Clock clock) {
    this.database = database;
    this.schemes = schemes;
    this.audit = audit;
    this.clock = clock;
    reload();
  }

  /** One stored file's metadata. */
  public record Entry(
      long id,
      String format,
      String kind,
      String key,
      String name,
      String sha256,
      Optional<Instant> nextUpdate,
      Instant importedAt,
      String importedBy) {
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
          check
              .problems()
              .forEach(p ->
                  fileProblems.add(
                      Problem.of(
                          p.type(),
                          file.name() + " (" + scheme.descriptor().id() + "): " + p.detail())));
        }
      }
      if (!recognized) {
        problems.add(
            Problem.of(
                CollateralProblem.COLLATERAL_UNRECOGNIZED,
                file.name() + " is not collateral any enabled scheme recognizes"));
      } else if (!acceptedByAny) {
        problems.addAll(
            fileProblems); // stored for the schemes that accept it; refused when none does
      }
    }
    if (!problems.isEmpty()) {
      List<Problem> all = new ArrayList<>();
      all.add(
          Problem.of(
              CollateralProblem.COLLATERAL_REJECTED,
              problems.size() + " problem(s); nothing was imported"));
      all.addAll(problems);
      throw new ProblemException(all);
    }
    Instant now = clock.instant();
    List<Entry> stored =
        database.inTransaction(tx -> {
          List<Entry> out = new ArrayList<>();
          for (Accepted item : accepted) {
            String sha = Hex.encode(Digests.sha256(item.file().bytes()));
            Optional<Long> id =
                CollateralStore.insert(
                    tx,
                    item.format(),
                    item.check().kind(),
                    item.check().key(),
                    item.file().name(),
                    sha,
                    item.file().bytes(),
                    item.check().nextUpdate(),
                    now,
                    who.label());
            id.ifPresent(value ->
                out.add(
                    new Entry(
                        value,
                        item.format(),
                        item.check().kind(),
                        item.check().key(),
                        item.file().name(),
                        sha,
                        item.check().nextUpdate(),
                        now,
                        who.label())));
          }
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("files", files.size());
          details.put(
              "stored",
              out.stream()
                  .map(e ->
                      Map.of(
                          "format",
                          e.format(),
                          "kind",
                          e.kind(),
                          "key",
                          e.key(),
                          "sha256",
                          e.sha256()))
                  .toList());
          audit.append(
              tx,
              who,
              "collateral.import",
              "collateral",
              "collateral import",
              Optional.empty(),
              details);
          return out;
        });
    reload();
    return stored;
  }

  public List<Entry> list() {
    return database.inTransaction(CollateralStore::list);
  }

  /** Rebuilds the in-memory view: per format, the newest current file for each kind and key. */
  public void reload() {
    Instant now = clock.instant();
    Map<String, Map<String, EvidenceInput.Collateral>> newest = new LinkedHashMap<>();
    Map<String, Instant> newestAt = new ConcurrentHashMap<>();
    for (CollateralStore.Current file :
        database.inTransaction(tx -> CollateralStore.current(tx, now))) {
      String slot = file.kind() + "|" + file.key();
      String id = file.format() + "|" + slot;
      if (!newestAt.containsKey(id) || !file.rank().isBefore(newestAt.get(id))) {
        newestAt.put(id, file.rank());
        newest.computeIfAbsent(file.format(), f -> new LinkedHashMap<>()).put(slot, file.file());
      }
    }
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
