// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.appraisal.PolicyCache;
import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.policy.Names;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.rollout.VersionGate;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
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

/**
 * The server side of the supply chain: per-workload supply-chain policies, version admission at
 * registration (provenance, quorum, SBOM binding, blocking vulnerabilities; refused versions store
 * nothing), the admission check and the rollout {@link VersionGate} (the same evaluation over the
 * stored documents with the current policy and advisories), advisory imports with continuous
 * re-scans ({@link Monitor}), and the vulnerability source of the policy cache. Thread-safe.
 */
public final class SupplyChainService implements AutoCloseable {
  private final Database database;
  private final PolicyService policies;
  private final AuditLog audit;
  private final KeyRing ring;
  private final Clock clock;
  private final AdvisoryStore advisories = new AdvisoryStore();
  private final Monitor monitor;

  /**
   * @param ring the pinned keys the audit records committing to findings and supply-chain policies
   *     must be signed by
   * @param tick how often the monitor acts on vulnerability obligations (empty: only through {@link
   *     #tick()})
   * @param findingsChanged called with a workload whose Attestation Results change (findings,
   *     revocations) after the change committed: reload its cached policy
   */
  public SupplyChainService(
      Database database,
      PolicyService policies,
      AuditLog audit,
      KeyRing ring,
      Clock clock,
      Optional<Duration> tick,
      Consumer<String> findingsChanged) {
    this.database = database;
    this.policies = policies;
    this.audit = audit;
    this.ring = ring;
    this.clock = clock;
    FindingsState.adopt(database, audit);
    database.inTransaction(tx -> {
      advisories.sync(tx);
      return null;
    });
    this.monitor = new Monitor(database, policies, audit, advisories, clock, tick, findingsChanged);
  }

  // ---- reports -----------------------------------------------------------------------------

  /** A workload's supply-chain policy ({@code policy} null when none is configured). */
  public record PolicyView(
      @JsonProperty("workload") String workload,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("policy") JsonNode policy) {}

  /** A problem as the reports carry it. */
  public record ProblemView(
      @JsonProperty("type") String type, @JsonProperty("detail") String detail) {
    static ProblemView of(Problem problem) {
      return new ProblemView(problem.type().uri(), problem.detail());
    }
  }

  /** The admission verdict of a registered version. */
  public record CheckReport(
      @JsonProperty("workload") String workload,
      @JsonProperty("version") String version,
      @JsonProperty("admissible") boolean admissible,
      @JsonProperty("reasons") List<ProblemView> reasons,
      @JsonProperty("artifact_digest") String artifactDigest,
      @JsonProperty("provenance") List<ProvenanceView> provenance,
      @JsonProperty("quorum") QuorumView quorum,
      @JsonProperty("sbom") SbomView sbom,
      @JsonProperty("vulnerabilities") List<VulnerabilityView> vulnerabilities,
      @JsonProperty("revoked") boolean revoked) {}

  /** One stored provenance document's verdict. */
  public record ProvenanceView(
      @JsonProperty("digest") String digest,
      @JsonProperty("verdict") String verdict,
      @JsonProperty("predicate_type") String predicateType,
      @JsonProperty("builder_id") String builderId,
      @JsonProperty("counted") boolean counted,
      @JsonProperty("problems") List<ProblemView> problems) {}

  public record QuorumView(
      @JsonProperty("required") int required, @JsonProperty("builders") List<String> builders) {}

  public record SbomView(
      @JsonProperty("present") boolean present,
      @JsonProperty("digest") String digest,
      @JsonProperty("format") String format,
      @JsonProperty("components") int components,
      @JsonProperty("bound") boolean bound) {}

  public record VulnerabilityView(
      @JsonProperty("osv_id") String osvId,
      @JsonProperty("purl") String purl,
      @JsonProperty("version") String version,
      @JsonProperty("severity") String severity,
      @JsonProperty("blocking") boolean blocking) {}

  /** Findings (by version label) and vulnerability obligations of a workload. */
  public record StatusReport(
      @JsonProperty("workload") String workload,
      @JsonProperty("configured") boolean configured,
      @JsonProperty("findings") Map<String, List<SupplyChainStore.FindingView>> findings,
      @JsonProperty("obligations") List<ObligationStore.Listed> obligations) {}

  /** Counts of stored advisories and the latest imports. */
  public record AdvisorySummary(
      @JsonProperty("advisories") long advisories,
      @JsonProperty("withdrawn") long withdrawn,
      @JsonProperty("indexed") int indexed,
      @JsonProperty("imports") List<AdvisoryStore.Import> imports) {}

  // ---- policy ------------------------------------------------------------------------------

  /**
   * Sets (replaces) a workload's supply-chain policy: validated first, then one audited
   * transaction.
   */
  public PolicyView setPolicy(Principal who, String workload, JsonNode document, String reason) {
    Names.reason(reason);
    SupplyChainPolicy policy = SupplyChainPolicy.parse(document);
    return database.inTransaction(tx -> {
      PolicyService.lockAndCheckBase(tx, workload, Optional.empty());
      SupplyChainStore.savePolicy(tx, workload, policy, who.label(), now());
      ObjectNode audited = policy.normalized().deepCopy();
      if (audited.has("trusted_root")) {
        audited.put(
            "trusted_root",
            "sha256:"
                + dev.arbiter.internal.Hex.encode(
                    dev.arbiter.crypto.Digests.sha256(
                        dev.arbiter.internal.Jcs.canonicalize(audited.get("trusted_root")))));
      }
      audit.append(
          tx,
          who,
          "workload.set-supply-chain",
          workload,
          reason,
          Optional.empty(),
          Map.of("policy", audited, FindingsState.POLICY, FindingsState.policy(tx, workload)));
      PolicyService.notifyChanged(tx, workload);
      return policyJson(tx, workload);
    });
  }

  public PolicyView policy(String workload) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      return policyJson(tx, workload);
    });
  }

  private static PolicyView policyJson(Tx tx, String workload) {
    Optional<String> body = SupplyChainStore.policyBody(tx, workload);
    return new PolicyView(
        workload, body.isPresent(), body.map(SupplyChainStore::json).orElse(null));
  }

  // ---- admission ---------------------------------------------------------------------------

  /**
   * Registers a version after admission under the workload's supply-chain policy: reference values
   * given and/or derived, the provenance facts and the SBOM facts in the immutable content, the raw
   * documents by digest, the SBOM's findings; all in one transaction. A version that is not
   * admissible is refused with every reason and nothing is stored.
   */
  public PolicyService.Registration register(
      Principal who,
      String workload,
      String label,
      JsonNode referenceValues,
      Optional<String> digest,
      List<byte[]> provenance,
      Optional<byte[]> sbom) {
    Names.version(label);
    Optional<String> artifact = digest.map(Names::digest);
    SupplyChainPolicy policy =
        database.inTransaction(tx -> {
          PolicyService.workload(tx, workload);
          advisories.sync(tx);
          return SupplyChainStore.policy(tx, workload);
        });
    Admission.Verdict verdict =
        Admission.evaluate(
            policy, new Admission.Input(artifact, provenance, sbom), advisories.scanner(), clock);
    if (!verdict.admissible()) {
      throw new ProblemException(verdict.reasons());
    }
    JsonNode values = merge(referenceValues, verdict.derived());
    Instant now = now();
    PolicyService.Registration registration =
        policies.registerVersion(
            who,
            workload,
            label,
            values,
            verdict.artifactDigest(),
            verdict.provenanceFacts(),
            verdict.sbomFacts(),
            (tx, version) -> {
              for (int i = 0; i < provenance.size(); i++) {
                SupplyChainStore.saveDocument(
                    tx, verdict.provenance().get(i).digest(), "provenance", provenance.get(i), now);
              }
              if (sbom.isPresent()) {
                SupplyChainStore.saveDocument(
                    tx, verdict.sbomDigest().get(), "sbom", sbom.get(), now);
                SupplyChainStore.saveFindings(tx, workload, label, verdict.findings(), now);
                if (!verdict.findings().isEmpty()) {
                  audit.append(
                      tx,
                      who,
                      "supplychain.findings",
                      FindingsState.key(workload, label),
                      "findings of the SBOM scan at registration",
                      Optional.empty(),
                      Map.of(
                          FindingsState.FINDINGS,
                          FindingsState.findings(
                              tx, List.of(new SupplyChainStore.VersionKey(workload, label)))));
                }
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
    ObjectNode out =
        given == null || given.isNull()
            ? JsonNodeFactory.instance.objectNode()
            : ((ObjectNode) given).deepCopy();
    for (var scheme : derived.properties()) {
      JsonNode existing = out.path(scheme.getKey());
      ObjectNode target =
          existing.isObject() ? (ObjectNode) existing : out.putObject(scheme.getKey());
      for (var claim : scheme.getValue().properties()) {
        JsonNode present = target.get(claim.getKey());
        if (present != null
            && !(present.isTextual()
                && present.textValue().equalsIgnoreCase(claim.getValue().textValue()))) {
          throw new ProblemException(
              SupplyChainProblem.REFERENCE_VALUES_NOT_DERIVABLE,
              "reference value "
                  + scheme.getKey()
                  + "."
                  + claim.getKey()
                  + " is given as "
                  + Admission.clip(present.toString())
                  + " but the provenance subject gives "
                  + claim.getValue().textValue());
        }
        target.set(claim.getKey(), claim.getValue());
      }
    }
    return out;
  }

  /** The admission verdict of a registered version under the current policy and advisories. */
  public CheckReport check(String workload, String label) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      Version version =
          PolicyService.findVersion(tx, workload, label)
              .orElseThrow(() ->
                  new ProblemException(
                      dev.arbiter.policy.PolicyProblem.VERSION_NOT_FOUND,
                      "workload " + workload + " has no version " + label));
      return verdictJson(version, evaluate(tx, version));
    });
  }

  /** The rollout gate: every reason the version is not admissible, as {@code type-slug: detail}. */
  public VersionGate gate() {
    return (tx, workload, label) -> {
      Optional<Version> version = PolicyService.findVersion(tx, workload, label);
      if (version.isEmpty()) {
        return List.of("version-not-found: " + label);
      }
      return evaluate(tx, version.get()).reasons().stream()
          .map(p -> p.type().slug() + ": " + p.detail())
          .toList();
    };
  }

  private Admission.Verdict evaluate(Tx tx, Version version) {
    advisories.sync(tx);
    SupplyChainPolicy policy = SupplyChainStore.policy(tx, version.workload());
    JsonNode content = version.content();
    List<byte[]> provenance = new ArrayList<>();
    List<Problem> missing = new ArrayList<>();
    for (JsonNode fact : content.path("provenance")) {
      String digest = fact.path("digest").asText();
      SupplyChainStore.document(tx, digest)
          .ifPresentOrElse(
              provenance::add,
              () ->
                  missing.add(
                      Problem.of(
                          SupplyChainProblem.SUPPLY_CHAIN_DOCUMENT_INVALID,
                          "stored provenance " + digest + " is missing")));
    }
    Optional<byte[]> sbom = Optional.empty();
    String sbomDigest = content.path("sbom").path("digest").asText(null);
    if (sbomDigest != null) {
      sbom = SupplyChainStore.document(tx, sbomDigest);
      if (sbom.isEmpty()) {
        missing.add(
            Problem.of(
                SupplyChainProblem.SUPPLY_CHAIN_DOCUMENT_INVALID,
                "stored SBOM " + sbomDigest + " is missing"));
      }
    }
    Optional<String> artifact = Optional.ofNullable(content.path("artifact_digest").asText(null));
    Admission.Verdict verdict =
        Admission.evaluate(
            policy, new Admission.Input(artifact, provenance, sbom), advisories.scanner(), clock);
    if (missing.isEmpty()) {
      return verdict;
    }
    List<Problem> reasons = new ArrayList<>(missing);
    reasons.addAll(verdict.reasons());
    return new Admission.Verdict(
        false,
        reasons,
        verdict.artifactDigest(),
        verdict.provenance(),
        verdict.quorumBuilders(),
        verdict.quorumRequired(),
        verdict.sbomDigest(),
        verdict.sbom(),
        verdict.findings(),
        verdict.blocking(),
        verdict.derived());
  }

  private static CheckReport verdictJson(Version version, Admission.Verdict verdict) {
    List<ProvenanceView> provenance = new ArrayList<>();
    for (Admission.ProvenanceOutcome outcome : verdict.provenance()) {
      List<Problem> problems = new ArrayList<>(outcome.result().problems());
      problems.addAll(outcome.policyProblems());
      provenance.add(
          new ProvenanceView(
              outcome.digest(),
              outcome.result().verdict(),
              outcome.result().predicateType(),
              outcome.result().builderId(),
              outcome.counted(),
              problems.stream().map(ProblemView::of).toList()));
    }
    SbomView sbom =
        new SbomView(
            verdict.sbom().isPresent(),
            verdict.sbomDigest().orElse(null),
            verdict.sbom().map(s -> s.formatId()).orElse(null),
            verdict.sbom().map(s -> s.components().size()).orElse(0),
            verdict.sbom().isPresent()
                && verdict.artifactDigest().isPresent()
                && verdict.reasons().stream()
                    .noneMatch(
                        p -> p.type() == dev.arbiter.supplychain.sbom.SbomProblem.SBOM_NOT_BOUND));
    return new CheckReport(
        version.workload(),
        version.label(),
        verdict.admissible(),
        verdict.reasons().stream().map(ProblemView::of).toList(),
        verdict.artifactDigest().orElse(null),
        provenance,
        new QuorumView(verdict.quorumRequired(), List.copyOf(verdict.quorumBuilders())),
        sbom,
        verdict.findings().stream()
            .map(f ->
                new VulnerabilityView(
                    f.osvId(),
                    String.valueOf(f.purl()),
                    String.valueOf(f.version()),
                    f.severity().label().name(),
                    verdict.blocking().contains(f)))
            .toList(),
        version.revoked());
  }

  // ---- monitoring --------------------------------------------------------------------------

  /**
   * OSV ids of the version's findings its workload's policy blocks (the policy cache's
   * vulnerability source), once its findings and its workload's supply-chain policy match the
   * newest signed audit records that commit to them ({@link FindingsState}); otherwise why not.
   */
  public PolicyCache.Vulnerabilities vulnerabilities(String workload, String version) {
    return database.inTransaction(tx -> FindingsState.verify(tx, ring, workload, version));
  }

  /**
   * The versions that fix each advisory, from the stored OSV records: every {@code fixed} event of
   * every affected package, as {@code "<package> <version>"} (empty when the record names none or
   * is not stored).
   */
  public Map<String, List<String>> fixedVersions(java.util.Collection<String> osvIds) {
    Map<String, String> bodies =
        database.inTransaction(tx -> AdvisoryStore.bodies(tx, java.util.Set.copyOf(osvIds)));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String id : osvIds) {
      List<String> fixed = new ArrayList<>();
      String body = bodies.get(id);
      if (body != null) {
        for (JsonNode affected : SupplyChainStore.json(body).path("affected")) {
          String name = affected.path("package").path("name").asText("");
          for (JsonNode range : affected.path("ranges")) {
            for (JsonNode event : range.path("events")) {
              if (event.hasNonNull("fixed")) {
                String entry = (name + " " + event.path("fixed").asText()).trim();
                if (!fixed.contains(entry)) {
                  fixed.add(entry);
                }
              }
            }
          }
        }
      }
      out.put(id, List.copyOf(fixed));
    }
    return out;
  }

  /** Findings and open obligations of a workload's versions. */
  public StatusReport status(String workload) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      SupplyChainPolicy policy = SupplyChainStore.policy(tx, workload);
      Map<String, List<SupplyChainStore.FindingView>> versions = new LinkedHashMap<>();
      for (Version version : policies.versions(workload)) {
        var findings = SupplyChainStore.findings(tx, workload, version.label());
        if (!findings.isEmpty()) {
          versions.put(
              version.label(),
              findings.stream()
                  .map(f ->
                      SupplyChainStore.findingJson(
                          f, policy.vulnerabilities().blocks(f.severity())))
                  .toList());
        }
      }
      return new StatusReport(
          workload, policy.configured(), versions, ObligationStore.list(tx, workload));
    });
  }

  /** Imports OSV records (a JSON record or list); audited with counts. */
  public Monitor.ImportSummary importJson(Principal who, JsonNode records, String source) {
    return monitor.importBatch(who, AdvisoryBatch.ofJson(records, source), source);
  }

  /** Imports an OSV zip export; audited with counts. */
  public Monitor.ImportSummary importZip(Principal who, byte[] zip, String source) {
    return monitor.importBatch(who, AdvisoryBatch.ofZip(zip, source), source);
  }

  /** Counts of stored advisories and imports. */
  public AdvisorySummary advisorySummary() {
    return database.inTransaction(tx -> {
      advisories.sync(tx);
      return new AdvisorySummary(
          AdvisoryStore.count(tx, false),
          AdvisoryStore.count(tx, true),
          advisories.size(),
          AdvisoryStore.recentImports(tx));
    });
  }

  /** Acts on vulnerability obligations now (the monitor thread does this every tick). */
  public void tick() {
    monitor.tick();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public void close() {
    monitor.close();
  }
}
