// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.CollateralCheck;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.KeyRing;
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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collateral store: files are checked on import by every enabled scheme (signature chains to
 * the pinned roots, dates), stored only when every file is recognized and valid (one transaction
 * with its audit record), and served to appraisal from memory — for each format, the newest current
 * file per kind and key — so the hot path reads no database. Only files whose bytes and rows match
 * what a signed {@code collateral.import} audit record names are served ({@link #reload}).
 * Thread-safe.
 */
public final class CollateralService {
  private static final Logger LOG = LoggerFactory.getLogger(CollateralService.class);
  private static final String IMPORT_ACTION = "collateral.import";

  private final Database database;
  private final SchemeRegistry schemes;
  private final AuditLog audit;
  private final KeyRing ring;
  private final Clock clock;
  private volatile Map<String, List<EvidenceInput.Collateral>> current = Map.of();
  private volatile long unverified;

  /**
   * @param ring the pinned keys the {@code collateral.import} audit records naming the stored files
   *     must be signed by
   */
  public CollateralService(
      Database database, SchemeRegistry schemes, AuditLog audit, KeyRing ring, Clock clock) {
    this.database = database;
    this.schemes = schemes;
    this.audit = audit;
    this.ring = ring;
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
              tx, who, IMPORT_ACTION, "collateral", "collateral import", Optional.empty(), details);
          return out;
        });
    reload();
    return stored;
  }

  public List<Entry> list() {
    return database.inTransaction(CollateralStore::list);
  }

  /**
   * Rebuilds the in-memory view: per format, the newest current file for each kind and key — among
   * files that verify. A file is used only when its bytes hash to its row's {@code sha256} and a
   * {@code collateral.import} audit record whose seal verifies under the pinned {@link KeyRing}
   * names it (same format, kind, key and SHA-256). A slot (format, kind, key) where any stored file
   * fails, or where a file such a record names is missing (deleting the newest CRL to make an older
   * one current), serves nothing: appraisal needing it fails closed. Each failing file is logged
   * and counted ({@link #unverifiedCount()}).
   */
  public void reload() {
    Instant now = clock.instant();
    record Loaded(List<CollateralStore.Stored> rows, List<AuditRecord> imports) {}
    Loaded loaded =
        database.inTransaction(
            tx -> new Loaded(CollateralStore.all(tx), AuditLog.withAction(tx, IMPORT_ACTION)));
    Map<String, Set<String>> committed = new LinkedHashMap<>(); // slot id -> sha256 values
    List<String> failures = new ArrayList<>();
    for (AuditRecord record : loaded.imports()) {
      List<String> problems =
          ring.problemsOf(record.body(), record.hash(), record.keyId(), record.signature());
      if (!problems.isEmpty()) {
        failures.add(
            "collateral.import audit record #"
                + record.seq()
                + " does not verify ("
                + String.join("; ", problems)
                + "); the files it names are not used");
        continue;
      }
      for (JsonNode file : record.body().path("details").path("stored")) {
        committed
            .computeIfAbsent(
                slotId(
                    file.path("format").asText(),
                    file.path("kind").asText(),
                    file.path("key").asText()),
                k -> new java.util.HashSet<>())
            .add(file.path("sha256").asText());
      }
    }
    Set<String> broken = new java.util.HashSet<>();
    Map<String, Set<String>> present = new LinkedHashMap<>();
    List<CollateralStore.Stored> good = new ArrayList<>();
    int bad = 0;
    for (CollateralStore.Stored row : loaded.rows()) {
      String slot = slotId(row.format(), row.kind(), row.key());
      String actual = Hex.encode(Digests.sha256(row.content()));
      String why = null;
      if (!actual.equals(row.sha256())) {
        why = "its bytes do not hash to the stored sha256 (content swapped)";
      } else if (!committed.getOrDefault(slot, Set.of()).contains(actual)) {
        why = "no verified collateral.import audit record names it (row inserted or edited)";
      }
      if (why != null) {
        bad++;
        broken.add(slot);
        failures.add("collateral file #" + row.id() + " " + describe(row) + ": " + why);
      } else {
        good.add(row);
        present.computeIfAbsent(slot, k -> new java.util.HashSet<>()).add(actual);
      }
    }
    for (var slot : committed.entrySet()) {
      for (String sha : slot.getValue()) {
        if (!present.getOrDefault(slot.getKey(), Set.of()).contains(sha)) {
          bad++;
          broken.add(slot.getKey());
          failures.add(
              "collateral file sha256 "
                  + sha
                  + " ("
                  + slot.getKey()
                  + ") was imported (audited) but is no longer stored (row deleted)");
        }
      }
    }
    failures.forEach(failure ->
        LOG.error("collateral integrity: {}; the slot serves nothing until repaired", failure));
    unverified = bad;
    Map<String, Map<String, CollateralStore.Stored>> newest = new LinkedHashMap<>();
    for (CollateralStore.Stored row : good) {
      String slot = row.kind() + "|" + row.key();
      if (broken.contains(slotId(row.format(), row.kind(), row.key()))
          || row.nextUpdate().map(next -> !next.isAfter(now)).orElse(false)) {
        continue;
      }
      Map<String, CollateralStore.Stored> slots =
          newest.computeIfAbsent(row.format(), f -> new LinkedHashMap<>());
      CollateralStore.Stored before = slots.get(slot);
      if (before == null || !row.rank().isBefore(before.rank())) {
        slots.put(slot, row);
      }
    }
    Map<String, List<EvidenceInput.Collateral>> out = new LinkedHashMap<>();
    newest.forEach((format, slots) ->
        out.put(
            format,
            slots.values().stream()
                .map(row -> new EvidenceInput.Collateral(row.name(), row.content()))
                .toList()));
    current = Map.copyOf(out);
  }

  /** Stored files that failed their integrity check at the last reload (the alert metric). */
  public long unverifiedCount() {
    return unverified;
  }

  private static String slotId(String format, String kind, String key) {
    return format + "|" + kind + "|" + key;
  }

  private static String describe(CollateralStore.Stored row) {
    return "(" + slotId(row.format(), row.kind(), row.key()) + ", " + row.name() + ")";
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
