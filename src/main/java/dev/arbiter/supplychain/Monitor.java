// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.supplychain.osv.Finding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-deployment monitoring (verifier hygiene). An advisory import stores the records, re-scans
 * incrementally every registered version's SBOM ({@code ContinuousScan}), records the new
 * findings, and gives each accepted version that becomes vulnerable under its workload's
 * vulnerability policy a phase-out obligation (kind {@code vulnerability}; deadline and action from
 * the workload's control objective class named by the policy's {@code phase_out_objective}), all in
 * one audited transaction; then every replica recompiles the affected workloads' policies so their
 * Attestation Results carry the OSV ids with {@code executables} at warning. {@link #tick} acts on
 * vulnerability obligations: met once the version left the accepted set, and past due either
 * revoked from the policy (action {@code revoke}) or escalated, audited. A withdrawn advisory
 * removes its findings; an obligation with no blocking finding left is met. Thread-safe.
 */
final class Monitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
  private static final Principal SYSTEM = Principal.system("supply-chain-monitor");
  private static final long IMPORT_LOCK = 0x6172626974657206L;
  /** Phase-out deadline when the policy names no objective class or the workload lacks it. */
  static final Duration DEFAULT_DEADLINE = Duration.ofHours(72);

  private final Jdbi jdbi;
  private final PolicyService policies;
  private final AuditLog audit;
  private final AdvisoryStore store;
  private final Clock clock;
  private volatile Consumer<String> reload = workload -> {};
  private final Thread thread;
  private volatile boolean running = true;

  Monitor(Jdbi jdbi, PolicyService policies, AuditLog audit, AdvisoryStore store, Clock clock, Optional<Duration> tick) {
    this.jdbi = jdbi;
    this.policies = policies;
    this.audit = audit;
    this.store = store;
    this.clock = clock;
    this.thread = tick.map(every -> Thread.ofPlatform().name("arbiter-supplychain-monitor").daemon(true).start(() -> {
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
    })).orElse(null);
  }

  void onFindingsChanged(Consumer<String> reloader) {
    this.reload = reloader;
  }

  /** Stores a batch, re-scans, records findings and obligations; returns the import summary. */
  Map<String, Object> importBatch(Principal who, AdvisoryBatch batch, String source) {
    Set<String> workloads = new TreeSet<>();
    store.importLock().lock();
    try {
      Map<String, Object> summary = jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, handle -> {
        handle.execute("select pg_advisory_xact_lock(?)", IMPORT_LOCK);
        store.syncLocked(handle);
        Instant now = clock.instant();
        long withdrawn = batch.records().stream().filter(r -> r.advisory().withdrawn()).count();
        long seq = handle.createUpdate("insert into advisory_import(at, principal, source, records, stored, withdrawn, skipped) "
                + "values (:at, :by, :src, :n, 0, :wd, :sk)")
            .bind("at", now).bind("by", who.label()).bind("src", source).bind("n", batch.records().size() + batch.skipped())
            .bind("wd", withdrawn).bind("sk", batch.skipped()).executeAndReturnGeneratedKeys("seq").mapTo(Long.class).one();
        int stored = 0;
        Map<String, List<Finding>> delta = new TreeMap<>();
        for (AdvisoryBatch.Parsed record : batch.records()) {
          int changed = handle.createUpdate("insert into advisory(id, modified, withdrawn, body, import_seq) values (:id, :m, :wd, :b, :s) "
                  + "on conflict (id) do update set modified = excluded.modified, withdrawn = excluded.withdrawn, body = excluded.body, "
                  + "import_seq = excluded.import_seq where advisory.modified <= excluded.modified")
              .bind("id", record.advisory().id()).bind("m", record.advisory().modified()).bind("wd", record.advisory().withdrawn())
              .bind("b", record.json()).bind("s", seq).execute();
          stored += changed;
          if (changed > 0 && record.advisory().withdrawn()) {
            workloads.addAll(handle.createQuery("delete from version_finding where osv_id = :id returning workload")
                .bind("id", record.advisory().id()).mapTo(String.class).list());
          }
          if (changed > 0) {
            store.add(record.advisory(), seq).forEach((id, findings) ->
                delta.computeIfAbsent(id, k -> new ArrayList<>()).addAll(findings));
          }
        }
        handle.execute("update advisory_import set stored = ? where seq = ?", stored, seq);
        List<Map<String, Object>> affected = new ArrayList<>();
        for (var entry : delta.entrySet()) {
          int at = entry.getKey().lastIndexOf('@');
          String workload = entry.getKey().substring(0, at);
          String version = entry.getKey().substring(at + 1);
          affected.add(recordFindings(handle, workload, version, entry.getValue(), now));
          workloads.add(workload);
        }
        for (String workload : workloads) {
          handle.execute("select pg_notify('" + PolicyService.CHANNEL + "', ?)", workload);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("import", seq);
        out.put("records", batch.records().size() + batch.skipped());
        out.put("stored", stored);
        out.put("withdrawn", withdrawn);
        out.put("skipped", batch.skipped());
        out.put("affected_versions", affected);
        out.put("notes", batch.notes().stream().limit(100).map(p -> Map.of("type", p.type().uri(), "detail", p.detail())).toList());
        Map<String, Object> details = new LinkedHashMap<>(out);
        details.remove("notes");
        details.put("notes", batch.notes().size());
        details.put("advisories_known", store.size());
        audit.append(dev.arbiter.store.Tx.of(handle), who, "advisories.import", "advisories", "advisories imported from " + source, Optional.empty(), details);
        return out;
      });
      workloads.forEach(w -> reload.accept(w));
      return summary;
    } catch (RuntimeException e) {
      store.reset();
      throw e;
    } finally {
      store.importLock().unlock();
    }
  }

  /** Stores new findings of one version; opens or extends its phase-out obligation when accepted and blocked. */
  private Map<String, Object> recordFindings(Handle handle, String workload, String version, List<Finding> findings, Instant now) {
    SupplyChainStore.saveFindings(handle, workload, version, findings, now);
    SupplyChainPolicy policy = SupplyChainStore.policy(handle, workload);
    List<Finding> blocking = findings.stream().filter(policy.vulnerabilities()::blocks).toList();
    PolicyRevision head = PolicyService.head(dev.arbiter.store.Tx.of(handle), workload);
    boolean accepted = head.acceptedLabels().contains(version);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workload", workload);
    out.put("version", version);
    out.put("accepted", accepted);
    out.put("findings", findings.stream().map(f -> Map.of("osv_id", f.osvId(), "purl", String.valueOf(f.purl()),
        "severity", f.severity().label().name(), "blocking", policy.vulnerabilities().blocks(f))).toList());
    if (!accepted || blocking.isEmpty()) {
      out.put("obligation", null);
      return out;
    }
    TreeSet<String> ids = new TreeSet<>();
    blocking.forEach(f -> ids.add(f.osvId()));
    Optional<Map<String, Object>> open = handle.createQuery(
            "select id, details from obligation where workload = :w and version = :v and kind = 'vulnerability' and state = 'open' for update")
        .bind("w", workload).bind("v", version).mapToMap().findOne();
    long obligation;
    if (open.isPresent()) {
      obligation = ((Number) open.get().get("id")).longValue();
      SupplyChainStore.json((String) open.get().get("details")).path("osv_ids").forEach(id -> ids.add(id.asText()));
      handle.execute("update obligation set details = ? where id = ?", Json.write(Map.of("osv_ids", ids)), obligation);
    } else {
      JsonNode objectives = PolicyService.workload(dev.arbiter.store.Tx.of(handle), workload).objectives();
      Optional<String> objectiveClass = policy.phaseOutObjective().filter(objectives::has);
      Duration deadline = objectiveClass.map(c -> Duration.parse(objectives.get(c).path("deadline").asText())).orElse(DEFAULT_DEADLINE);
      String action = objectiveClass.map(c -> objectives.get(c).path("on_deadline").asText("escalate")).orElse("escalate");
      obligation = handle.createUpdate("insert into obligation(workload, version, kind, class, due_at, action, state, details, created_at) "
              + "values (:w, :v, 'vulnerability', :class, :due, :action, 'open', :details, :now)")
          .bind("w", workload).bind("v", version).bind("class", objectiveClass.orElse(null)).bind("due", now.plus(deadline))
          .bind("action", action).bind("details", Json.write(Map.of("osv_ids", ids))).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }
    audit.append(dev.arbiter.store.Tx.of(handle), SYSTEM, "supplychain.vulnerable", workload + "@" + version,
        "accepted version " + version + " is affected by " + String.join(", ", ids), Optional.empty(),
        Map.of("osv_ids", ids, "obligation", obligation));
    out.put("obligation", obligation);
    return out;
  }

  /** One pass over open vulnerability obligations. */
  void tick() {
    List<Long> open = jdbi.withHandle(h -> h.createQuery("select id from obligation where kind = 'vulnerability' and state = 'open'")
        .mapTo(Long.class).list());
    for (long id : open) {
      try {
        Optional<String> changed = jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, handle -> act(handle, id));
        changed.ifPresent(w -> reload.accept(w));
      } catch (RuntimeException e) {
        LOG.error("acting on obligation {} failed", id, e);
      }
    }
  }

  private Optional<String> act(Handle handle, long id) {
    Optional<Map<String, Object>> row = handle.createQuery(
            "select * from obligation where id = :id and state = 'open' for update skip locked").bind("id", id).mapToMap().findOne();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    String workload = (String) row.get().get("workload");
    String version = (String) row.get().get("version");
    Instant now = clock.instant();
    Instant due = ((java.sql.Timestamp) row.get().get("due_at")).toInstant();
    PolicyRevision head = PolicyService.head(dev.arbiter.store.Tx.of(handle), workload);
    if (head.acceptedLabels().contains(version) && !now.isAfter(due) && !SupplyChainStore.blockingIds(handle, workload, version).isEmpty()) {
      return Optional.empty(); // nothing to do yet: no workload lock taken
    }
    head = PolicyService.lockAndCheckBase(dev.arbiter.store.Tx.of(handle), workload, Optional.empty());
    boolean accepted = head.acceptedLabels().contains(version);
    if (!accepted || SupplyChainStore.blockingIds(handle, workload, version).isEmpty()) {
      handle.execute("update obligation set state = 'met', resolved_at = ? where id = ?", now, id);
      audit.append(dev.arbiter.store.Tx.of(handle), SYSTEM, "supplychain.obligation-met", workload + "@" + version,
          accepted ? version + " has no blocking finding any more (advisory withdrawn or policy changed)" : version + " is no longer accepted",
          Optional.empty(), Map.of("obligation", id));
      return Optional.empty();
    }
    String details = (String) row.get().get("details");
    String reason = "vulnerability phase-out deadline " + due + " passed for " + version + " ("
        + String.join(", ", Json.mapper().convertValue(SupplyChainStore.json(details).path("osv_ids"), String[].class)) + ")";
    handle.execute("update obligation set state = 'breached', resolved_at = ? where id = ?", now, id);
    if ("revoke".equals(row.get().get("action"))) {
      Version target = PolicyService.findVersion(dev.arbiter.store.Tx.of(handle), workload, version).orElseThrow();
      PolicyRevision revision = policies.reviseInTransaction(dev.arbiter.store.Tx.of(handle), SYSTEM, workload, reason, Optional.empty(),
          content -> PolicyService.withAccepted(content, target, false));
      handle.execute("update version_status set revoked = true, revoked_at = ?, revoked_reason = ? where workload = ? and label = ?",
          now, reason, workload, version);
      audit.append(dev.arbiter.store.Tx.of(handle), SYSTEM, "supplychain.revoke", workload + "@" + version, reason, Optional.of(revision.hash()),
          Map.of("obligation", id, "seq", revision.seq()));
      return Optional.of(workload);
    }
    audit.append(dev.arbiter.store.Tx.of(handle), SYSTEM, "supplychain.escalate", workload + "@" + version, reason, Optional.empty(), Map.of("obligation", id));
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
