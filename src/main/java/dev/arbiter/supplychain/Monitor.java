// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import dev.arbiter.supplychain.osv.Finding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-deployment monitoring (verifier hygiene). An advisory import stores the records, re-scans
 * incrementally every registered version's SBOM ({@code ContinuousScan}), records the new findings,
 * and gives each accepted version that becomes vulnerable under its workload's vulnerability policy
 * a phase-out obligation (kind {@code vulnerability}; deadline and action from the workload's
 * control objective class named by the policy's {@code phase_out_objective}), all in one audited
 * transaction; then every replica recompiles the affected workloads' policies so their Attestation
 * Results carry the OSV ids with {@code executables} at warning. {@link #tick} acts on
 * vulnerability obligations: met once the version left the accepted set, and past due either
 * revoked from the policy (action {@code revoke}) or escalated, audited. A withdrawn advisory
 * removes its findings; an obligation with no blocking finding left is met. Thread-safe.
 */
final class Monitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
  private static final Principal SYSTEM = Principal.system("supply-chain-monitor");

  /** Phase-out deadline when the policy names no objective class or the workload lacks it. */
  static final Duration DEFAULT_DEADLINE = Duration.ofHours(72);

  private final Database database;
  private final PolicyService policies;
  private final AuditLog audit;
  private final AdvisoryStore store;
  private final Clock clock;
  private final Consumer<String> reload;
  private final Thread thread;
  private volatile boolean running = true;

  /** The summary of an advisory import. */
  record ImportSummary(
      @JsonProperty("import") long importSeq,
      @JsonProperty("records") int records,
      @JsonProperty("stored") int stored,
      @JsonProperty("withdrawn") long withdrawn,
      @JsonProperty("skipped") int skipped,
      @JsonProperty("affected_versions") List<AffectedVersion> affectedVersions,
      @JsonProperty("notes") List<Note> notes) {}

  /** A parser note about a skipped or partly understood record. */
  record Note(@JsonProperty("type") String type, @JsonProperty("detail") String detail) {}

  /** A version with new findings, and the obligation opened or extended for it (null when none). */
  record AffectedVersion(
      @JsonProperty("workload") String workload,
      @JsonProperty("version") String version,
      @JsonProperty("accepted") boolean accepted,
      @JsonProperty("findings") List<NewFinding> findings,
      @JsonProperty("obligation") Long obligation) {}

  /** One new finding of an affected version. */
  record NewFinding(
      @JsonProperty("osv_id") String osvId,
      @JsonProperty("purl") String purl,
      @JsonProperty("severity") String severity,
      @JsonProperty("blocking") boolean blocking) {}

  /**
   * @param reload called with each workload whose Attestation Results change (findings,
   *     revocations), after the change committed
   */
  Monitor(
      Database database,
      PolicyService policies,
      AuditLog audit,
      AdvisoryStore store,
      Clock clock,
      Optional<Duration> tick,
      Consumer<String> reload) {
    this.database = database;
    this.policies = policies;
    this.audit = audit;
    this.store = store;
    this.clock = clock;
    this.reload = reload;
    this.thread =
        tick.map(every ->
                Thread.ofPlatform()
                    .name("arbiter-supplychain-monitor")
                    .daemon(true)
                    .start(() -> {
                      while (running) {
                        try {
                          Thread.sleep(every.toMillis());
                          tick();
                        } catch (InterruptedException e) {
                          return;
                        } catch (RuntimeException e) {
                          LOG.error("supply-chain monitor tick failed", e);
                        }
                      }
                    }))
            .orElse(null);
  }

  /** Stores a batch, re-scans, records findings and obligations; returns the import summary. */
  ImportSummary importBatch(Principal who, AdvisoryBatch batch, String source) {
    Set<String> workloads = new TreeSet<>();
    store.importLock().lock();
    try {
      ImportSummary summary =
          database.inTransaction(tx -> {
            AdvisoryStore.lockImports(tx);
            store.syncLocked(tx);
            Instant now = clock.instant();
            long withdrawn = batch.records().stream().filter(r -> r.advisory().withdrawn()).count();
            int records = batch.records().size() + batch.skipped();
            long seq =
                AdvisoryStore.insertImport(
                    tx, now, who.label(), source, records, withdrawn, batch.skipped());
            int stored = 0;
            Map<String, List<Finding>> delta = new TreeMap<>();
            Set<SupplyChainStore.VersionKey> changedVersions = new LinkedHashSet<>();
            for (AdvisoryBatch.Parsed record : batch.records()) {
              int changed = AdvisoryStore.upsert(tx, record.advisory(), record.json(), seq);
              stored += changed;
              if (changed > 0 && record.advisory().withdrawn()) {
                for (SupplyChainStore.VersionKey v :
                    SupplyChainStore.deleteFindings(tx, record.advisory().id())) {
                  changedVersions.add(v);
                  workloads.add(v.workload());
                }
              }
              if (changed > 0) {
                store
                    .add(record.advisory(), seq)
                    .forEach((id, findings) ->
                        delta.computeIfAbsent(id, k -> new ArrayList<>()).addAll(findings));
              }
            }
            AdvisoryStore.setStored(tx, seq, stored);
            List<AffectedVersion> affected = new ArrayList<>();
            for (var entry : delta.entrySet()) {
              int at = entry.getKey().lastIndexOf('@');
              String workload = entry.getKey().substring(0, at);
              String version = entry.getKey().substring(at + 1);
              affected.add(recordFindings(tx, workload, version, entry.getValue(), now));
              changedVersions.add(new SupplyChainStore.VersionKey(workload, version));
              workloads.add(workload);
            }
            for (String workload : workloads) {
              PolicyService.notifyChanged(tx, workload);
            }
            ImportSummary out =
                new ImportSummary(
                    seq,
                    records,
                    stored,
                    withdrawn,
                    batch.skipped(),
                    affected,
                    batch.notes().stream()
                        .limit(100)
                        .map(p -> new Note(p.type().uri(), p.detail()))
                        .toList());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("import", out.importSeq());
            details.put("records", out.records());
            details.put("stored", out.stored());
            details.put("withdrawn", out.withdrawn());
            details.put("skipped", out.skipped());
            details.put("affected_versions", out.affectedVersions());
            details.put("notes", batch.notes().size());
            details.put("advisories_known", store.size());
            if (!changedVersions.isEmpty()) {
              details.put(FindingsState.FINDINGS, FindingsState.findings(tx, changedVersions));
            }
            audit.append(
                tx,
                who,
                "advisories.import",
                "advisories",
                "advisories imported from " + source,
                Optional.empty(),
                details);
            return out;
          });
      workloads.forEach(reload);
      return summary;
    } catch (RuntimeException e) {
      store.reset();
      throw e;
    } finally {
      store.importLock().unlock();
    }
  }

  /**
   * Stores new findings of one version; opens or extends its phase-out obligation when accepted and
   * blocked.
   */
  private AffectedVersion recordFindings(
      Tx tx, String workload, String version, List<Finding> findings, Instant now) {
    SupplyChainStore.saveFindings(tx, workload, version, findings, now);
    SupplyChainPolicy policy = SupplyChainStore.policy(tx, workload);
    List<Finding> blocking = findings.stream().filter(policy.vulnerabilities()::blocks).toList();
    PolicyRevision head = PolicyService.head(tx, workload);
    boolean accepted = head.acceptedLabels().contains(version);
    List<NewFinding> listed =
        findings.stream()
            .map(f ->
                new NewFinding(
                    f.osvId(),
                    String.valueOf(f.purl()),
                    f.severity().label().name(),
                    policy.vulnerabilities().blocks(f)))
            .toList();
    if (!accepted || blocking.isEmpty()) {
      return new AffectedVersion(workload, version, accepted, listed, null);
    }
    TreeSet<String> ids = new TreeSet<>();
    blocking.forEach(f -> ids.add(f.osvId()));
    Optional<ObligationStore.Open> open = ObligationStore.openFor(tx, workload, version);
    long obligation;
    if (open.isPresent()) {
      obligation = open.get().id();
      open.get().details().path("osv_ids").forEach(id -> ids.add(id.asText()));
      ObligationStore.setOsvIds(tx, obligation, ids);
    } else {
      JsonNode objectives = PolicyService.workload(tx, workload).objectives();
      Optional<String> objectiveClass = policy.phaseOutObjective().filter(objectives::has);
      Duration deadline =
          objectiveClass
              .map(c -> Duration.parse(objectives.get(c).path("deadline").asText()))
              .orElse(DEFAULT_DEADLINE);
      String action =
          objectiveClass
              .map(c -> objectives.get(c).path("on_deadline").asText("escalate"))
              .orElse("escalate");
      obligation =
          ObligationStore.insert(
              tx,
              workload,
              version,
              objectiveClass.orElse(null),
              now.plus(deadline),
              action,
              ids,
              now);
    }
    audit.append(
        tx,
        SYSTEM,
        "supplychain.vulnerable",
        workload + "@" + version,
        "accepted version " + version + " is affected by " + String.join(", ", ids),
        Optional.empty(),
        Map.of("osv_ids", ids, "obligation", obligation));
    return new AffectedVersion(workload, version, accepted, listed, obligation);
  }

  /** One pass over open vulnerability obligations. */
  void tick() {
    List<Long> open = database.inTransaction(ObligationStore::openIds);
    for (long id : open) {
      try {
        Optional<String> changed = database.inTransaction(tx -> act(tx, id));
        changed.ifPresent(reload);
      } catch (RuntimeException e) {
        LOG.error("acting on obligation {} failed", id, e);
      }
    }
  }

  private Optional<String> act(Tx tx, long id) {
    Optional<ObligationStore.Open> row = ObligationStore.lockOpen(tx, id);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    String workload = row.get().workload();
    String version = row.get().version();
    Instant now = clock.instant();
    Instant due = row.get().dueAt();
    PolicyRevision head = PolicyService.head(tx, workload);
    if (head.acceptedLabels().contains(version)
        && !now.isAfter(due)
        && !SupplyChainStore.blockingIds(tx, workload, version).isEmpty()) {
      return Optional.empty(); // nothing to do yet: no workload lock taken
    }
    head = PolicyService.lockAndCheckBase(tx, workload, Optional.empty());
    boolean accepted = head.acceptedLabels().contains(version);
    if (!accepted || SupplyChainStore.blockingIds(tx, workload, version).isEmpty()) {
      ObligationStore.resolve(tx, id, "met", now);
      audit.append(
          tx,
          SYSTEM,
          "supplychain.obligation-met",
          workload + "@" + version,
          accepted
              ? version + " has no blocking finding any more (advisory withdrawn or policy changed)"
              : version + " is no longer accepted",
          Optional.empty(),
          Map.of("obligation", id));
      return Optional.empty();
    }
    String reason =
        "vulnerability phase-out deadline "
            + due
            + " passed for "
            + version
            + " ("
            + String.join(
                ", ",
                Json.mapper().convertValue(row.get().details().path("osv_ids"), String[].class))
            + ")";
    ObligationStore.resolve(tx, id, "breached", now);
    if ("revoke".equals(row.get().action())) {
      Version target = PolicyService.findVersion(tx, workload, version).orElseThrow();
      PolicyRevision revision =
          policies.reviseInTransaction(
              tx,
              SYSTEM,
              workload,
              reason,
              Optional.empty(),
              content -> PolicyService.withAccepted(content, target, false));
      PolicyService.setRevoked(tx, workload, version, true, reason, now);
      audit.append(
          tx,
          SYSTEM,
          "supplychain.revoke",
          workload + "@" + version,
          reason,
          Optional.of(revision.hash()),
          Map.of("obligation", id, "seq", revision.seq()));
      return Optional.of(workload);
    }
    audit.append(
        tx,
        SYSTEM,
        "supplychain.escalate",
        workload + "@" + version,
        reason,
        Optional.empty(),
        Map.of("obligation", id));
    LOG.warn("{}: {}", workload, reason);
    return Optional.empty();
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
