// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.retention;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.policy.Names;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Retention;
import dev.arbiter.policy.Workload;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import dev.arbiter.tlog.LogQueryStore;
import dev.arbiter.tlog.LogStore;
import dev.arbiter.tlog.PrunedLeaves;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of attestation decisions: the server-wide default (in the database, so every replica
 * agrees), each workload's effective retention, and pruning.
 *
 * <p>A prune of a workload, for records appended before {@code now - retention}: removes the body
 * (and jti) of its decision leaves in the transparency log — leaf index, leaf hash, every subtree
 * and checkpoint stay, so every root, inclusion and consistency proof still verifies — and deletes
 * its fleet attestation events. It keeps, per version, the first affirming or warning decision leaf
 * and the first such attestation event: the governance report's rows 7, 12 and upgrade-7 rest on
 * exactly those (and past evidence bundles carry those leaves), so reports before and after a prune
 * have the same rows. It runs in batches of at most {@code batchSize} leaves and events, each one
 * transaction with its {@code decisions.prune} audit record, which commits to what it pruned
 * (count, first and last leaf, a digest of the leaves: {@link PrunedLeaves}); {@code audit verify}
 * checks every body-less leaf against these records. One replica prunes at a time (a PostgreSQL
 * session advisory lock).
 */
public final class DecisionRetention {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionRetention.class);
  private static final Principal SYSTEM = Principal.system("decision-retention");
  private static final List<String> RECOGNIZED = List.of("affirming", "warning");

  /** Decision leaves (and attestation events) per prune transaction. */
  public static final int DEFAULT_BATCH = 5_000;

  private final Database database;
  private final PolicyService policies;
  private final AuditLog audit;
  private final Clock clock;
  private final int batchSize;

  public DecisionRetention(
      Database database, PolicyService policies, AuditLog audit, Clock clock, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    this.database = database;
    this.policies = policies;
    this.audit = audit;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  /** A workload's retention: its own setting (null: the default) and the one that applies. */
  public record WorkloadRetention(
      @JsonProperty("workload") String workload,
      @JsonProperty("setting") String setting,
      @JsonProperty("effective") String effective) {}

  /** The default and every workload's retention. */
  public record Overview(
      @JsonProperty("default") String defaultRetention,
      @JsonProperty("workloads") List<WorkloadRetention> workloads) {}

  /** The server-wide default (keep forever until one is set). */
  public Retention defaultRetention() {
    return database.inTransaction(DecisionRetention::defaultRetention);
  }

  private static Retention defaultRetention(Tx tx) {
    return RetentionStore.defaultRetention(tx).map(Retention::parse).orElse(Retention.forever());
  }

  public Overview overview() {
    return database.inTransaction(tx -> {
      Retention fallback = defaultRetention(tx);
      List<WorkloadRetention> out = new ArrayList<>();
      for (Workload w : policies.listWorkloads()) {
        out.add(
            new WorkloadRetention(
                w.name(),
                w.decisionRetention().map(Retention::wire).orElse(null),
                w.decisionRetention().orElse(fallback).wire()));
      }
      return new Overview(fallback.wire(), out);
    });
  }

  /** Sets the server-wide default, audited {@code decisions.set-default-retention}. */
  public Overview setDefault(Principal who, Retention retention, String reason) {
    Names.reason(reason);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    database.useTransaction(tx -> {
      Retention before = defaultRetention(tx);
      RetentionStore.setDefault(tx, retention.wire(), now, who.label());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("decisions", retention.wire());
      details.put("previous", before.wire());
      audit.append(
          tx, who, "decisions.set-default-retention", "*", reason, Optional.empty(), details);
    });
    return overview();
  }

  /**
   * Prunes {@code workload} (or every workload) now, as {@code who}; with {@code dryRun}, counts
   * only.
   *
   * @throws ProblemException {@code prune-in-progress} when another replica or call is pruning,
   *     {@code workload-not-found}
   */
  public List<PruneRun> prune(Principal who, Optional<String> workload, boolean dryRun) {
    List<String> names =
        workload.isPresent()
            ? List.of(policies.workload(workload.get()).name())
            : policies.listWorkloads().stream().map(Workload::name).toList();
    return RetentionStore.whileLocked(
            database,
            () -> {
              List<PruneRun> runs = new ArrayList<>();
              for (String name : names) {
                runs.add(pruneWorkload(who, name, dryRun));
              }
              return runs;
            })
        .orElseThrow(() ->
            new ProblemException(
                RetentionProblem.PRUNE_IN_PROGRESS,
                "another prune of decision records is running; retry later"));
  }

  private PruneRun pruneWorkload(Principal who, String workload, boolean dryRun) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    record Plan(Retention retention, List<Long> keepLeaves, List<Long> keepEvents) {}
    Plan plan =
        database.inTransaction(tx -> {
          Retention retention =
              PolicyService.workload(tx, workload).decisionRetention().orElse(defaultRetention(tx));
          if (retention.isForever()) {
            return new Plan(retention, List.of(), List.of());
          }
          return new Plan(
              retention,
              LogQueryStore.firstDecisionsPerVersion(tx, workload, RECOGNIZED).stream()
                  .map(LogStore.LoggedLeaf::index)
                  .toList(),
              RetentionStore.firstEventPerVersion(tx, workload));
        });
    Optional<Instant> cutoff = plan.retention().cutoff(now);
    if (cutoff.isEmpty()) {
      return new PruneRun(workload, plan.retention().wire(), null, dryRun, 0, 0, 0, List.of());
    }
    Instant before = cutoff.get();
    if (dryRun) {
      return database.inTransaction(tx ->
          new PruneRun(
              workload,
              plan.retention().wire(),
              before.toString(),
              true,
              LogStore.countPrunable(tx, workload, before, plan.keepLeaves()),
              RetentionStore.countPrunableEvents(tx, workload, before, plan.keepEvents()),
              plan.keepLeaves().size(),
              List.of()));
    }
    long leaves = 0;
    long events = 0;
    List<Long> records = new ArrayList<>();
    while (true) {
      int batch = records.size() + 1;
      Optional<long[]> done =
          database.inTransaction(tx -> {
            List<LogStore.PrunableLeaf> prunable =
                LogStore.prunable(tx, workload, before, plan.keepLeaves(), batchSize);
            List<Long> eventIds =
                RetentionStore.prunableEvents(tx, workload, before, plan.keepEvents(), batchSize);
            if (prunable.isEmpty() && eventIds.isEmpty()) {
              return Optional.empty();
            }
            PrunedLeaves summary = LogStore.summary(prunable);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("retention", plan.retention().wire());
            details.put("cutoff", before.toString());
            details.put("batch", batch);
            details.put("decisions_pruned", summary.count());
            details.put("first_leaf", summary.first());
            details.put("last_leaf", summary.last());
            details.put("leaves_sha256", summary.digest());
            details.put(
                "oldest_pruned",
                prunable.isEmpty() ? null : prunable.getFirst().createdAt().toString());
            details.put(
                "newest_pruned",
                prunable.isEmpty() ? null : prunable.getLast().createdAt().toString());
            details.put("attestation_events_deleted", eventIds.size());
            details.put("kept_first_decisions", plan.keepLeaves().size());
            AuditRecord record =
                audit.append(
                    tx,
                    who,
                    IntegrityCheck.PRUNE_ACTION,
                    workload,
                    "decision retention " + plan.retention().wire(),
                    Optional.empty(),
                    details);
            LogStore.prune(tx, prunable, record.seq());
            int deleted = RetentionStore.deleteEvents(tx, eventIds);
            return Optional.of(new long[] {summary.count(), deleted, record.seq()});
          });
      if (done.isEmpty()) {
        break;
      }
      leaves += done.get()[0];
      events += done.get()[1];
      records.add(done.get()[2]);
    }
    if (!records.isEmpty()) {
      LOG.info(
          "pruned {} decisions and {} attestation events of {} before {} ({} batches)",
          leaves,
          events,
          workload,
          before,
          records.size());
    }
    return new PruneRun(
        workload,
        plan.retention().wire(),
        before.toString(),
        false,
        leaves,
        events,
        plan.keepLeaves().size(),
        records);
  }

  /**
   * A background thread that prunes every workload every {@code every} (first run one period after
   * start); a replica that finds another pruning skips the round. Close to stop it.
   */
  public AutoCloseable start(Duration every) {
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("arbiter-decision-retention")
            .start(() -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(every.toMillis());
                  prune(SYSTEM, Optional.empty(), false);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (ProblemException e) {
                  LOG.debug("decision prune skipped: {}", e.getMessage());
                } catch (RuntimeException e) {
                  LOG.error("decision prune failed", e);
                }
              }
            });
    return () -> {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }
}
