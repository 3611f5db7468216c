// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.rollout.FleetHistoryStore;
import dev.arbiter.rollout.Rollout;
import dev.arbiter.rollout.RolloutService;
import dev.arbiter.store.Database;
import dev.arbiter.supplychain.SupplyChainReadStore;
import dev.arbiter.tlog.InclusionProof;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogQueryStore;
import dev.arbiter.tlog.LogStore;
import dev.arbiter.tlog.TransparencyLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds governance reports from the domains' records: collects {@link Records} for a workload and
 * range (read-only), attaches inclusion proofs against the latest signed checkpoint, and evaluates
 * the rows ({@link Evaluator}). Exports wrap the same records into an {@link EvidenceBundle}.
 */
public final class GovernanceReports {
  private static final List<String> RECOGNIZED = List.of("affirming", "warning");
  private static final int FLEET_BUCKETS = 24;

  private final Database database;
  private final PolicyService policies;
  private final RolloutService rollouts;
  private final TransparencyLog log;
  private final Clock clock;

  public GovernanceReports(
      Database database,
      PolicyService policies,
      RolloutService rollouts,
      TransparencyLog log,
      Clock clock) {
    this.database = database;
    this.policies = policies;
    this.rollouts = rollouts;
    this.log = log;
    this.clock = clock;
  }

  /** A validated report range. */
  public record Range(Instant from, Instant to) {
    /**
     * Parses optional RFC 3339 bounds: {@code to} defaults to {@code now}, {@code from} to the
     * epoch (all history).
     *
     * @throws ProblemException {@code report-range-invalid}
     */
    public static Range parse(Optional<String> from, Optional<String> to, Instant now) {
      try {
        Instant end = to.map(Instant::parse).orElse(now).truncatedTo(ChronoUnit.MICROS);
        Instant start = from.map(Instant::parse).orElse(Instant.EPOCH);
        if (start.isAfter(end)) {
          throw new ProblemException(
              ReportProblem.REPORT_RANGE_INVALID, "from " + start + " is after to " + end);
        }
        return new Range(start, end);
      } catch (DateTimeParseException e) {
        throw new ProblemException(
            ReportProblem.REPORT_RANGE_INVALID, "not an RFC 3339 instant: " + e.getParsedString());
      }
    }
  }

  public Clock clock() {
    return clock;
  }

  public TransparencyLog log() {
    return log;
  }

  /**
   * The report of {@code workload} over the range. Flushes the log first, so that decisions made
   * until now are covered by a signed checkpoint (and carry inclusion proofs).
   */
  public Report report(String workload, Range range) {
    flushLog();
    return report(collect(workload, range));
  }

  /** Waits until everything the log accepted is stored and checkpointed (best effort). */
  void flushLog() {
    try {
      log.flush();
    } catch (RuntimeException e) {
      // the log refuses to sign (halted) or is closing: report what is covered so far
    }
  }

  /** The report computed from {@code records}. */
  public Report report(Records records) {
    String checkpoint =
        records.checkpointSize() == 0
            ? null
            : database.inTransaction(tx ->
                LogQueryStore.checkpointsBetween(
                        tx, records.checkpointSize(), records.checkpointSize())
                    .stream()
                    .findFirst()
                    .map(LogStore.StoredCheckpoint::note)
                    .orElse(null));
    return build(records, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), checkpoint);
  }

  /** The report of {@code records} with the given metadata (what verifiers recompute). */
  static Report build(Records records, String generatedAt, String checkpoint) {
    return new Report(
        records.workload(),
        records.from(),
        records.to(),
        generatedAt,
        checkpoint,
        Evaluator.evaluate(records),
        Evaluator.timelines(records));
  }

  /** Names of every workload, for the all-workloads report. */
  public List<String> workloads() {
    return policies.listWorkloads().stream().map(w -> w.name()).toList();
  }

  /**
   * Everything a report of {@code workload} over {@code range} rests on, with inclusion proofs
   * against the latest signed checkpoint (records the checkpoint does not cover yet carry none).
   *
   * @throws ProblemException when the workload does not exist
   */
  public Records collect(String workload, Range range) {
    policies.workload(workload);
    Instant to = range.to();
    List<PolicyRevision> revisions =
        policies.revisions(workload).stream()
            .filter(r -> !Instant.parse(r.createdAt()).isAfter(to))
            .toList();
    List<AuditRecord> audit = auditRecords(workload, to);
    List<Version> versions =
        policies.versions(workload).stream().filter(v -> !v.createdAt().isAfter(to)).toList();
    List<Rollout> rolloutList =
        rollouts.list(workload).stream().filter(r -> !r.createdAt().isAfter(to)).toList();
    return database.inTransaction(tx -> {
      long size = LogQueryStore.latest(tx).map(LogStore.StoredCheckpoint::size).orElse(0L);
      Map<String, Long> revisionLeaves =
          LogQueryStore.leafIndexesByHash(
              tx,
              LogEntry.Kind.POLICY_REVISION,
              revisions.stream().map(PolicyRevision::hash).toList());
      Map<String, Long> auditLeaves =
          LogQueryStore.leafIndexesByHash(
              tx, LogEntry.Kind.AUDIT_RECORD, audit.stream().map(AuditRecord::hash).toList());
      Function<Long, InclusionProof> proof =
          index -> index == null || index >= size ? null : log.inclusionProof(index, size);
      List<Records.Revision> revisionRecords =
          revisions.stream()
              .map(r -> {
                Long leaf = revisionLeaves.get(r.hash());
                return new Records.Revision(
                    r.seq(),
                    r.hash(),
                    r.prev(),
                    r.body(),
                    r.keyId(),
                    r.signature(),
                    leaf,
                    proof.apply(leaf));
              })
              .toList();
      List<Records.Audit> auditRecords =
          audit.stream()
              .map(a -> {
                Long leaf = auditLeaves.get(a.hash());
                return new Records.Audit(
                    a.seq(),
                    a.hash(),
                    a.prev(),
                    a.body(),
                    a.keyId(),
                    a.signature(),
                    leaf,
                    proof.apply(leaf));
              })
              .toList();
      List<Records.DecisionLeaf> decisions =
          LogQueryStore.firstDecisionsPerVersion(tx, workload, RECOGNIZED).stream()
              .filter(leaf -> !leaf.entry().time().isAfter(to))
              .map(leaf ->
                  new Records.DecisionLeaf(
                      leaf.index(), leaf.leafText(), proof.apply(leaf.index())))
              .toList();
      List<SupplyChainReadStore.Finding> findings =
          SupplyChainReadStore.findings(tx, workload).stream()
              .filter(f -> !Instant.parse(f.foundAt()).isAfter(to))
              .toList();
      Set<String> osvIds =
          findings.stream()
              .map(SupplyChainReadStore.Finding::osvId)
              .collect(Collectors.toCollection(LinkedHashSet::new));
      List<Records.Advisory> advisories = new ArrayList<>();
      for (String id : osvIds) {
        SupplyChainReadStore.advisory(tx, id)
            .ifPresent(body -> advisories.add(new Records.Advisory(id, json(body))));
      }
      List<Records.FleetSamples> fleet = new ArrayList<>();
      for (Rollout r : rolloutList) {
        if (r.createdAt().isBefore(range.from())) {
          continue;
        }
        Instant until = r.state().active() ? to : r.updatedAt();
        if (!until.isAfter(r.createdAt())) {
          until = r.createdAt().plusSeconds(1);
        }
        fleet.add(
            new Records.FleetSamples(
                r.id(),
                r.createdAt().toString(),
                until.toString(),
                FleetHistoryStore.samples(tx, workload, r.createdAt(), until, FLEET_BUCKETS)));
      }
      return new Records(
          workload,
          range.from().toString(),
          to.toString(),
          size,
          revisionRecords,
          auditRecords,
          decisions,
          versions.stream()
              .map(v ->
                  new Records.VersionRecord(
                      v.label(),
                      v.content(),
                      v.contentHash(),
                      v.createdAt().toString(),
                      v.createdBy(),
                      v.revoked()))
              .toList(),
          rolloutList.stream()
              .map(r ->
                  new Records.RolloutRecord(
                      r.id(),
                      r.fromVersions(),
                      r.toVersion(),
                      r.state().name(),
                      r.stagedRevision().orElse(null),
                      r.stagedLiveAt().map(Instant::toString).orElse(null),
                      r.finalRevision().orElse(null),
                      r.createdAt().toString(),
                      r.createdBy(),
                      r.reason(),
                      r.updatedAt().toString()))
              .toList(),
          findings,
          SupplyChainReadStore.obligations(tx, workload, to),
          advisories,
          fleet,
          prunedDecisions(tx, audit, range));
    });
  }

  /**
   * The workload's audit records at or before {@code to}: those about it ({@code target} the
   * workload or {@code workload@version}) and every advisory import (monitoring evidence).
   */
  private List<AuditRecord> auditRecords(String workload, Instant to) {
    List<AuditRecord> out = new ArrayList<>();
    long after = 0;
    while (true) {
      List<AuditRecord> page = AuditLog.list(database, after, 1000, Optional.empty());
      for (AuditRecord record : page) {
        JsonNode body = record.body();
        String target = body.path("target").asText();
        String action = body.path("action").asText();
        boolean about =
            target.equals(workload)
                || target.startsWith(workload + "@")
                || action.equals("advisories.import");
        if (about && !Instant.parse(body.path("at").asText()).isAfter(to)) {
          out.add(record);
        }
      }
      if (page.size() < 1000) {
        return out;
      }
      after = page.get(page.size() - 1).seq();
    }
  }

  /**
   * How many of the workload's decisions appended in the range lost their leaf body to a retention
   * prune (its {@code decisions.prune} audit records, which are among {@code audit}); null for
   * none, so the records of an unpruned workload are as before.
   */
  private static Long prunedDecisions(
      dev.arbiter.store.Tx tx, List<AuditRecord> audit, Range range) {
    List<Long> prunes =
        audit.stream()
            .filter(a ->
                dev.arbiter.governance.IntegrityCheck.PRUNE_ACTION.equals(
                    a.body().path("action").asText()))
            .map(AuditRecord::seq)
            .toList();
    long count = LogQueryStore.prunedBetween(tx, prunes, range.from(), range.to());
    return count == 0 ? null : count;
  }

  /** The raw bytes of a stored supply-chain document. */
  Optional<byte[]> document(String digest) {
    return database.inTransaction(tx -> SupplyChainReadStore.document(tx, digest));
  }

  /** Stored checkpoints: the first covering each of {@code leaves}, and the one of {@code size}. */
  List<LogStore.StoredCheckpoint> checkpoints(Set<Long> leaves, long size) {
    return database.inTransaction(tx -> {
      java.util.TreeMap<Long, LogStore.StoredCheckpoint> out = new java.util.TreeMap<>();
      for (long leaf : leaves) {
        LogQueryStore.firstCovering(tx, leaf)
            .filter(c -> c.size() <= size)
            .ifPresent(c -> out.put(c.size(), c));
      }
      LogQueryStore.checkpointsBetween(tx, size, size).forEach(c -> out.put(c.size(), c));
      return List.copyOf(out.values());
    });
  }

  private static JsonNode json(String text) {
    try {
      return Json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
