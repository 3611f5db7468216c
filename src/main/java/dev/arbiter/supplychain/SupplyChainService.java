// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.policy.Names;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.rollout.VersionGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The server side of the supply chain: per-workload supply-chain policies, version admission at
 * registration (provenance, quorum, SBOM binding, blocking vulnerabilities; refused versions store
 * nothing), the admission check and the rollout {@link VersionGate} (the same evaluation over the
 * stored documents with the current policy and advisories), advisory imports with continuous
 * re-scans ({@link Monitor}), and the vulnerability source of the policy cache. Thread-safe.
 */
public final class SupplyChainService implements AutoCloseable {
  private final Jdbi jdbi;
  private final PolicyService policies;
  private final AuditLog audit;
  private final Clock clock;
  private final AdvisoryStore advisories = new AdvisoryStore();
  private final Monitor monitor;

  /**
   * @param tick how often the monitor acts on vulnerability obligations (empty: only through {@link #tick()})
   */
  public SupplyChainService(Jdbi jdbi, PolicyService policies, AuditLog audit, Clock clock, Optional<Duration> tick) {
    this.jdbi = jdbi;
    this.policies = policies;
    this.audit = audit;
    this.clock = clock;
    jdbi.useHandle(advisories::sync);
    this.monitor = new Monitor(jdbi, policies, audit, advisories, clock, tick);
  }

  /** Called with a workload whose Attestation Results change (findings, revocations): reload its cached policy. */
  public void onFindingsChanged(Consumer<String> reload) {
    monitor.onFindingsChanged(reload);
  }

  // ---- policy ------------------------------------------------------------------------------

  /** Sets (replaces) a workload's supply-chain policy: validated first, then one audited transaction. */
  public Map<String, Object> setPolicy(Principal who, String workload, JsonNode document, String reason) {
    Names.reason(reason);
    SupplyChainPolicy policy = SupplyChainPolicy.parse(document);
    return inTransaction(handle -> {
      PolicyService.lockAndCheckBase(dev.arbiter.store.Tx.of(handle), workload, Optional.empty());
      SupplyChainStore.savePolicy(handle, workload, policy, who.label(), now());
      ObjectNode audited = policy.normalized().deepCopy();
      if (audited.has("trusted_root")) {
        audited.put("trusted_root", "sha256:" + dev.arbiter.internal.Hex.encode(dev.arbiter.crypto.Digests.sha256(
            dev.arbiter.internal.Jcs.canonicalize(audited.get("trusted_root")))));
      }
      audit.append(dev.arbiter.store.Tx.of(handle), who, "workload.set-supply-chain", workload, reason, Optional.empty(), Map.of("policy", audited));
      handle.execute("select pg_notify('" + PolicyService.CHANNEL + "', ?)", workload);
      return policyJson(handle, workload);
    });
  }

  public Map<String, Object> policy(String workload) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(dev.arbiter.store.Tx.of(handle), workload);
      return policyJson(handle, workload);
    });
  }

  private static Map<String, Object> policyJson(Handle handle, String workload) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workload", workload);
    Optional<String> body = SupplyChainStore.policyBody(handle, workload);
    out.put("configured", body.isPresent());
    out.put("policy", body.map(SupplyChainStore::json).orElse(null));
    return out;
  }

  // ---- admission ---------------------------------------------------------------------------

  /**
   * Registers a version after admission under the workload's supply-chain policy: reference values
   * given and/or derived, the provenance facts and the SBOM facts in the immutable content, the raw
   * documents by digest, the SBOM's findings; all in one transaction. A version that is not
   * admissible is refused with every reason and nothing is stored.
   */
  public PolicyService.Registration register(Principal who, String workload, String label, JsonNode referenceValues,
      Optional<String> digest, List<byte[]> provenance, Optional<byte[]> sbom) {
    Names.version(label);
    Optional<String> artifact = digest.map(Names::digest);
    SupplyChainPolicy policy = jdbi.withHandle(handle -> {
      PolicyService.workload(dev.arbiter.store.Tx.of(handle), workload);
      advisories.sync(handle);
      return SupplyChainStore.policy(handle, workload);
    });
    Admission.Verdict verdict = Admission.evaluate(policy, new Admission.Input(artifact, provenance, sbom), advisories.scanner(), clock);
    if (!verdict.admissible()) {
      throw new ProblemException(verdict.reasons());
    }
    JsonNode values = merge(referenceValues, verdict.derived());
    Instant now = now();
    PolicyService.Registration registration = policies.registerVersion(who, workload, label, values, verdict.artifactDigest(),
        verdict.provenanceFacts(), verdict.sbomFacts(), (tx, version) -> {
          var handle = tx.handle();
          for (int i = 0; i < provenance.size(); i++) {
            SupplyChainStore.saveDocument(handle, verdict.provenance().get(i).digest(), "provenance", provenance.get(i), now);
          }
          if (sbom.isPresent()) {
            SupplyChainStore.saveDocument(handle, verdict.sbomDigest().get(), "sbom", sbom.get(), now);
            SupplyChainStore.saveFindings(handle, workload, label, verdict.findings(), now);
          }
        });
    if (registration.created()) {
      verdict.sbom().ifPresent(parsed -> advisories.monitor(workload, label, parsed));
    }
    return registration;
  }

  private static JsonNode merge(JsonNode given, ObjectNode derived) {
    if (derived.isEmpty()) {
      return given;
    }
    if (given != null && !given.isNull() && !given.isObject()) {
      return given; // ReferenceValues.parse names the problem
    }
    ObjectNode out = given == null || given.isNull() ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) given).deepCopy();
    for (var scheme : derived.properties()) {
      JsonNode existing = out.path(scheme.getKey());
      ObjectNode target = existing.isObject() ? (ObjectNode) existing : out.putObject(scheme.getKey());
      for (var claim : scheme.getValue().properties()) {
        JsonNode present = target.get(claim.getKey());
        if (present != null && !(present.isTextual() && present.textValue().equalsIgnoreCase(claim.getValue().textValue()))) {
          throw new ProblemException(SupplyChainProblem.REFERENCE_VALUES_NOT_DERIVABLE, "reference value " + scheme.getKey() + "."
              + claim.getKey() + " is given as " + Admission.clip(present.toString()) + " but the provenance subject gives " + claim.getValue().textValue());
        }
        target.set(claim.getKey(), claim.getValue());
      }
    }
    return out;
  }

  /** The admission verdict of a registered version under the current policy and advisories. */
  public Map<String, Object> check(String workload, String label) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(dev.arbiter.store.Tx.of(handle), workload);
      Version version = PolicyService.findVersion(dev.arbiter.store.Tx.of(handle), workload, label)
          .orElseThrow(() -> new ProblemException(dev.arbiter.policy.PolicyProblem.VERSION_NOT_FOUND, "workload " + workload + " has no version " + label));
      return verdictJson(handle, version, evaluate(handle, version));
    });
  }

  /** The rollout gate: every reason the version is not admissible, as {@code type-slug: detail}. */
  public VersionGate gate() {
    return (tx, workload, label) -> {
      org.jdbi.v3.core.Handle handle = tx.handle();
      Optional<Version> version = PolicyService.findVersion(dev.arbiter.store.Tx.of(handle), workload, label);
      if (version.isEmpty()) {
        return List.of("version-not-found: " + label);
      }
      return evaluate(handle, version.get()).reasons().stream().map(p -> p.type().slug() + ": " + p.detail()).toList();
    };
  }

  private Admission.Verdict evaluate(Handle handle, Version version) {
    advisories.sync(handle);
    SupplyChainPolicy policy = SupplyChainStore.policy(handle, version.workload());
    JsonNode content = version.content();
    List<byte[]> provenance = new ArrayList<>();
    List<Problem> missing = new ArrayList<>();
    for (JsonNode fact : content.path("provenance")) {
      String digest = fact.path("digest").asText();
      SupplyChainStore.document(handle, digest).ifPresentOrElse(provenance::add,
          () -> missing.add(Problem.of(SupplyChainProblem.SUPPLY_CHAIN_DOCUMENT_INVALID, "stored provenance " + digest + " is missing")));
    }
    Optional<byte[]> sbom = Optional.empty();
    String sbomDigest = content.path("sbom").path("digest").asText(null);
    if (sbomDigest != null) {
      sbom = SupplyChainStore.document(handle, sbomDigest);
      if (sbom.isEmpty()) {
        missing.add(Problem.of(SupplyChainProblem.SUPPLY_CHAIN_DOCUMENT_INVALID, "stored SBOM " + sbomDigest + " is missing"));
      }
    }
    Optional<String> artifact = Optional.ofNullable(content.path("artifact_digest").asText(null));
    Admission.Verdict verdict = Admission.evaluate(policy, new Admission.Input(artifact, provenance, sbom), advisories.scanner(), clock);
    if (missing.isEmpty()) {
      return verdict;
    }
    List<Problem> reasons = new ArrayList<>(missing);
    reasons.addAll(verdict.reasons());
    return new Admission.Verdict(false, reasons, verdict.artifactDigest(), verdict.provenance(), verdict.quorumBuilders(),
        verdict.quorumRequired(), verdict.sbomDigest(), verdict.sbom(), verdict.findings(), verdict.blocking(), verdict.derived());
  }

  private static Map<String, Object> verdictJson(Handle handle, Version version, Admission.Verdict verdict) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workload", version.workload());
    out.put("version", version.label());
    out.put("admissible", verdict.admissible());
    out.put("reasons", verdict.reasons().stream().map(p -> Map.of("type", p.type().uri(), "detail", p.detail())).toList());
    out.put("artifact_digest", verdict.artifactDigest().orElse(null));
    List<Map<String, Object>> provenance = new ArrayList<>();
    for (Admission.ProvenanceOutcome outcome : verdict.provenance()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("digest", outcome.digest());
      item.put("verdict", outcome.result().verdict());
      item.put("predicate_type", outcome.result().predicateType());
      item.put("builder_id", outcome.result().builderId());
      item.put("counted", outcome.counted());
      List<Problem> problems = new ArrayList<>(outcome.result().problems());
      problems.addAll(outcome.policyProblems());
      item.put("problems", problems.stream().map(p -> Map.of("type", p.type().uri(), "detail", p.detail())).toList());
      provenance.add(item);
    }
    out.put("provenance", provenance);
    out.put("quorum", Map.of("required", verdict.quorumRequired(), "builders", List.copyOf(verdict.quorumBuilders())));
    Map<String, Object> sbom = new LinkedHashMap<>();
    sbom.put("present", verdict.sbom().isPresent());
    sbom.put("digest", verdict.sbomDigest().orElse(null));
    sbom.put("format", verdict.sbom().map(s -> s.formatId()).orElse(null));
    sbom.put("components", verdict.sbom().map(s -> s.components().size()).orElse(0));
    sbom.put("bound", verdict.sbom().isPresent() && verdict.artifactDigest().isPresent() && verdict.reasons().stream().noneMatch(p -> p.type() == dev.arbiter.supplychain.sbom.SbomProblem.SBOM_NOT_BOUND));
    out.put("sbom", sbom);
    out.put("vulnerabilities", verdict.findings().stream().map(f -> Map.of("osv_id", f.osvId(), "purl", String.valueOf(f.purl()),
        "version", String.valueOf(f.version()), "severity", f.severity().label().name(), "blocking", verdict.blocking().contains(f))).toList());
    out.put("revoked", version.revoked());
    return out;
  }

  // ---- monitoring --------------------------------------------------------------------------

  /** OSV ids of the version's findings its workload's policy blocks (the policy cache's vulnerability source). */
  public List<String> vulnerabilities(String workload, String version) {
    return jdbi.withHandle(handle -> SupplyChainStore.blockingIds(handle, workload, version));
  }

  /** Findings and open obligations of a workload's versions. */
  public Map<String, Object> status(String workload) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(dev.arbiter.store.Tx.of(handle), workload);
      SupplyChainPolicy policy = SupplyChainStore.policy(handle, workload);
      Map<String, Object> versions = new LinkedHashMap<>();
      for (Version version : policies.versions(workload)) {
        var findings = SupplyChainStore.findings(handle, workload, version.label());
        if (!findings.isEmpty()) {
          versions.put(version.label(), findings.stream()
              .map(f -> SupplyChainStore.findingJson(f, policy.vulnerabilities().blocks(f.severity()))).toList());
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("workload", workload);
      out.put("configured", policy.configured());
      out.put("findings", versions);
      out.put("obligations", handle.createQuery("select id, version, class, due_at, action, state, details from obligation "
              + "where workload = :w and kind = 'vulnerability' order by id desc limit 100").bind("w", workload)
          .map((rs, ctx) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getLong("id"));
            row.put("version", rs.getString("version"));
            row.put("class", rs.getString("class"));
            row.put("due_at", rs.getTimestamp("due_at").toInstant().toString());
            row.put("action", rs.getString("action"));
            row.put("state", rs.getString("state"));
            row.put("details", SupplyChainStore.json(rs.getString("details")));
            return row;
          }).list());
      return out;
    });
  }

  /** Imports OSV records (a JSON record or list); audited with counts. */
  public Map<String, Object> importJson(Principal who, JsonNode records, String source) {
    return monitor.importBatch(who, AdvisoryBatch.ofJson(records, source), source);
  }

  /** Imports an OSV zip export; audited with counts. */
  public Map<String, Object> importZip(Principal who, byte[] zip, String source) {
    return monitor.importBatch(who, AdvisoryBatch.ofZip(zip, source), source);
  }

  /** Counts of stored advisories and imports. */
  public Map<String, Object> advisorySummary() {
    return jdbi.withHandle(handle -> {
      advisories.sync(handle);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("advisories", handle.createQuery("select count(*) from advisory where not withdrawn").mapTo(Long.class).one());
      out.put("withdrawn", handle.createQuery("select count(*) from advisory where withdrawn").mapTo(Long.class).one());
      out.put("indexed", advisories.size());
      out.put("imports", handle.createQuery("select seq, at, principal, source, records, stored, withdrawn, skipped from advisory_import "
              + "order by seq desc limit 20").mapToMap().list().stream().map(row -> {
                Map<String, Object> item = new LinkedHashMap<>(row);
                item.put("at", ((java.sql.Timestamp) row.get("at")).toInstant().toString());
                return item;
              }).toList());
      return out;
    });
  }

  /** Acts on vulnerability obligations now (the monitor thread does this every tick). */
  public void tick() {
    monitor.tick();
  }

  private <T> T inTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
    return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, callback);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public void close() {
    monitor.close();
  }
}
