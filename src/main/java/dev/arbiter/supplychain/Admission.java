// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.provenance.ArtifactDigest;
import dev.arbiter.supplychain.provenance.KeyedSignatures;
import dev.arbiter.supplychain.provenance.ProvenanceOptions;
import dev.arbiter.supplychain.provenance.ProvenanceResult;
import dev.arbiter.supplychain.provenance.ProvenanceVerifier;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.Subject;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomParser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admission evaluation of one version under a workload's supply-chain policy: every provenance
 * document verified (signature, trusted builder, subject digest = the artifact digest), its signer
 * matched against the trusted identities and issuers, the CEL expression over it, the
 * reproducibility quorum (distinct trusted builders attesting the artifact digest), the SBOM parsed
 * and bound to the artifact digest, and its components matched against the known advisories under
 * the vulnerability policy. Pure: the caller supplies the documents, the scanner and the clock.
 *
 * <p>Security guarantee: {@link Verdict#admissible()} is true only when no reason was found; facts
 * are reported only from provenance whose signature verified.
 */
public final class Admission {
  private Admission() {}

  /**
   * What a version brings: its artifact digest (sha256:HEX) if named, provenance documents, SBOM.
   */
  public record Input(
      Optional<String> artifactDigest, List<byte[]> provenance, Optional<byte[]> sbom) {
    public Input {
      provenance = List.copyOf(provenance);
    }
  }

  /** One provenance document's outcome. */
  public record ProvenanceOutcome(
      String digest, ProvenanceResult result, List<Problem> policyProblems, boolean counted) {}

  /**
   * The verdict.
   *
   * @param artifactDigest the given or derived artifact digest (sha256:HEX)
   * @param derived reference values derived from provenance ({scheme: {claim: hex}})
   * @param findings every SBOM finding under the current advisories; {@code blocking} the ones the
   *     policy blocks
   */
  public record Verdict(
      boolean admissible,
      List<Problem> reasons,
      Optional<String> artifactDigest,
      List<ProvenanceOutcome> provenance,
      Set<String> quorumBuilders,
      int quorumRequired,
      Optional<String> sbomDigest,
      Optional<Sbom> sbom,
      List<Finding> findings,
      List<Finding> blocking,
      ObjectNode derived) {

    /** The version content's {@code provenance} slot: verified facts of each document. */
    public ArrayNode provenanceFacts() {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (ProvenanceOutcome outcome : provenance) {
        out.add(fact(outcome));
      }
      return out;
    }

    /** The version content's {@code sbom} slot, or null. */
    public JsonNode sbomFacts() {
      if (sbom.isEmpty()) {
        return JsonNodeFactory.instance.nullNode();
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("digest", sbomDigest.get());
      out.put("format", sbom.get().formatId());
      out.put("components", sbom.get().components().size());
      out.put("bound_to", artifactDigest.orElse(null));
      return out;
    }
  }

  static ObjectNode fact(ProvenanceOutcome outcome) {
    ProvenanceResult result = outcome.result();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("digest", outcome.digest());
    out.put("predicate_type", result.predicateType());
    out.put("builder_id", result.builderId());
    ArrayNode subjects = out.putArray("subjects");
    for (Subject subject : result.subjects()) {
      ObjectNode s = subjects.addObject().put("name", subject.name());
      ObjectNode digest = s.putObject("digest");
      subject.digest().forEach(digest::put);
    }
    if (result.signer() != null) {
      out.putObject("signer")
          .put("kind", result.signer().kind())
          .put("key_id", result.signer().keyId())
          .put("identity", result.signer().identity())
          .put("issuer", result.signer().issuer());
    } else {
      out.putNull("signer");
    }
    out.put(
        "integrated_time",
        result.integratedTime() == null ? null : result.integratedTime().toString());
    return out;
  }

  /** Evaluates {@code input} under {@code policy} with the advisories {@code scanner} holds. */
  public static Verdict evaluate(
      SupplyChainPolicy policy, Input input, Scanner scanner, Clock clock) {
    List<Problem> reasons = new ArrayList<>();
    Optional<String> artifact = input.artifactDigest();
    ProvenanceOptions options = policy.options().withClock(clock);
    if (artifact.isPresent()) {
      options = options.withExpectedDigest(ArtifactDigest.parse(artifact.get()));
    }
    List<ProvenanceOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < input.provenance().size(); i++) {
      byte[] document = input.provenance().get(i);
      String digest = digestOf(document);
      String where = "provenance[" + i + "] " + digest.substring(0, 19) + "...: ";
      ProvenanceResult result = ProvenanceVerifier.verify(document, options);
      List<Problem> policyProblems = new ArrayList<>();
      if (result.valid()) {
        // every signed item of the document must come from a trusted signer, not only the primary
        // one
        for (int item = 0; item < result.items().size(); item++) {
          String prefix = result.items().size() > 1 ? "item " + (item + 1) + ": " : "";
          signerProblem(policy, result.items().get(item).signer())
              .ifPresent(p -> policyProblems.add(Problem.of(p.type(), prefix + p.detail())));
        }
        celProblem(policy, result).ifPresent(policyProblems::add);
      }
      result.problems().forEach(p -> reasons.add(Problem.of(p.type(), where + p.detail())));
      policyProblems.forEach(p -> reasons.add(Problem.of(p.type(), where + p.detail())));
      outcomes.add(
          new ProvenanceOutcome(
              digest,
              result,
              List.copyOf(policyProblems),
              result.valid() && policyProblems.isEmpty()));
    }
    if (artifact.isEmpty()) {
      artifact = commonSubjectDigest(outcomes);
    }
    int required = policy.configured() ? policy.quorum() : 0;
    Set<String> builders = new TreeSet<>();
    Set<String> signers = new HashSet<>();
    for (int i = 0; i < outcomes.size(); i++) {
      ProvenanceOutcome outcome = outcomes.get(i);
      if (!outcome.counted()
          || outcome.result().builderId() == null
          || artifact.isEmpty()
          || builders.contains(outcome.result().builderId())) {
        continue;
      }
      // one signer cannot pose as several builders: each counted builder needs its own key or
      // identity
      String signer =
          required > 1
              ? signerOf(outcome.result(), input.provenance().get(i), options)
              : String.valueOf(i);
      if (signers.add(signer)) {
        builders.add(outcome.result().builderId());
      }
    }
    boolean needsArtifact = required > 0 || input.sbom().isPresent() || !policy.derive().isEmpty();
    if (needsArtifact && artifact.isEmpty()) {
      reasons.add(
          Problem.of(
              SupplyChainProblem.ARTIFACT_DIGEST_REQUIRED,
              "the version names no artifact digest (--digest) and its verified provenance subjects"
                  + " do not agree on exactly one sha256 digest"));
    } else if (builders.size() < required) {
      reasons.add(
          Problem.of(
              SupplyChainProblem.PROVENANCE_QUORUM_NOT_MET,
              "%d distinct trusted builder(s) required, %d attest %s%s",
              required,
              builders.size(),
              artifact.orElse("the artifact"),
              builders.isEmpty() ? "" : " (" + String.join(", ", builders) + ")"));
    }
    Optional<String> sbomDigest = input.sbom().map(Admission::digestOf);
    Optional<Sbom> sbom = Optional.empty();
    List<Finding> findings = List.of();
    List<Finding> blocking = new ArrayList<>();
    if (input.sbom().isPresent()) {
      try {
        sbom = Optional.of(SbomParser.parse(sbomPayload(input.sbom().get(), policy)));
      } catch (ProblemException e) {
        e.problems().forEach(p -> reasons.add(Problem.of(p.type(), "sbom: " + p.detail())));
      }
    } else if (policy.configured() && policy.requireSbom()) {
      reasons.add(
          Problem.of(
              SupplyChainProblem.SBOM_REQUIRED,
              "the workload's supply-chain policy requires an SBOM (--sbom)"));
    }
    if (sbom.isPresent()) {
      if (artifact.isPresent()) {
        sbom.get()
            .binding()
            .checkBoundTo("sha256", artifact.get().substring("sha256:".length()))
            .ifPresent(p -> reasons.add(Problem.of(p.type(), "sbom: " + p.detail())));
      }
      findings = scanner.scan(sbom.get()).findings();
      for (Finding finding : findings) {
        if (policy.vulnerabilities().blocks(finding)) {
          blocking.add(finding);
          reasons.add(
              Problem.of(
                  SupplyChainProblem.VULNERABILITY_BLOCKING,
                  "%s affects %s (severity %s%s)",
                  finding.osvId(),
                  finding.purl(),
                  finding.severity().label(),
                  finding.severity().score() == null
                      ? ""
                      : ", CVSS " + finding.severity().score()));
        }
      }
    }
    ObjectNode derived = derive(policy, outcomes, artifact, reasons);
    return new Verdict(
        reasons.isEmpty(),
        List.copyOf(reasons),
        artifact,
        List.copyOf(outcomes),
        Set.copyOf(builders),
        required,
        sbomDigest,
        sbom,
        findings,
        List.copyOf(blocking),
        derived);
  }

  /**
   * The SBOM document itself, or, for a DSSE envelope (an SBOM Statement signed with a key), its
   * payload once a signature verifies under the policy's keys over the PAE.
   */
  private static byte[] sbomPayload(byte[] bytes, SupplyChainPolicy policy) {
    JsonNode node;
    try {
      node = dev.arbiter.internal.Json.readTree(bytes);
    } catch (java.io.IOException | RuntimeException e) {
      return bytes; // SbomParser names the problem
    }
    if (node == null || !node.isObject() || !node.has("payloadType") || !node.has("signatures")) {
      return bytes;
    }
    Envelope envelope = Envelope.parse(node);
    if (!envelope.isInToto()) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED,
          "the SBOM envelope's payloadType is not an in-toto Statement");
    }
    KeyedSignatures.verify(envelope, policy.keys(), false);
    return envelope.payload();
  }

  /** {@code sha256:HEX} of a document's bytes (its key in the document table). */
  public static String digestOf(byte[] document) {
    return "sha256:" + Hex.encode(Digests.sha256(document));
  }

  private static Optional<Problem> signerProblem(SupplyChainPolicy policy, Signer signer) {
    if (signer == null || !Signer.CERTIFICATE.equals(signer.kind()) || !policy.configured()) {
      return Optional.empty();
    }
    if (policy.signerIdentities().isEmpty() && policy.oidcIssuers().isEmpty()) {
      return Optional.of(
          Problem.of(
              SupplyChainProblem.PROVENANCE_SIGNER_UNTRUSTED,
              "keyless provenance signed by '"
                  + clip(signer.identity())
                  + "', but the policy trusts no signer identity or OIDC issuer"));
    }
    String identity = signer.identity() == null ? "" : signer.identity();
    if (!policy.signerIdentities().isEmpty()
        && policy.signerIdentities().stream().noneMatch(p -> p.matcher(identity).matches())) {
      return Optional.of(
          Problem.of(
              SupplyChainProblem.PROVENANCE_SIGNER_UNTRUSTED,
              "signer identity '" + clip(identity) + "' matches no trusted identity"));
    }
    if (!policy.oidcIssuers().isEmpty() && !policy.oidcIssuers().contains(signer.issuer())) {
      return Optional.of(
          Problem.of(
              SupplyChainProblem.PROVENANCE_SIGNER_UNTRUSTED,
              "OIDC issuer '" + clip(signer.issuer()) + "' is not trusted"));
    }
    return Optional.empty();
  }

  private static Optional<Problem> celProblem(SupplyChainPolicy policy, ProvenanceResult result) {
    if (policy.cel().isEmpty()) {
      return Optional.empty();
    }
    ObjectNode statement = JsonNodeFactory.instance.objectNode();
    statement.put("predicateType", result.predicateType());
    ArrayNode subjects =
        fact(new ProvenanceOutcome("", result, List.of(), true)).withArray("subjects");
    statement.set("subject", subjects);
    statement.set(
        "predicate",
        result.predicate() == null ? JsonNodeFactory.instance.objectNode() : result.predicate());
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("provenance", CelValues.of(result.predicate()));
    variables.put("statement", CelValues.of(statement));
    variables.put("builder_id", result.builderId() == null ? "" : result.builderId());
    variables.put("predicate_type", result.predicateType() == null ? "" : result.predicateType());
    variables.put("subjects", CelValues.of(subjects));
    variables.put(
        "signer",
        CelValues.of(fact(new ProvenanceOutcome("", result, List.of(), true)).path("signer")));
    CelPolicy.Decision decision = policy.cel().get().evaluate(variables);
    if (decision == CelPolicy.Decision.ALLOW) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.of(
            SupplyChainProblem.PROVENANCE_POLICY_DENIED,
            "'"
                + clip(policy.cel().get().source())
                + "' "
                + (decision == CelPolicy.Decision.ERROR
                    ? "could not be evaluated on this provenance"
                    : "is false for this provenance")));
  }

  /**
   * Who really signed: the certificate identity and issuer, or the fingerprint of the configured
   * key that verifies (the envelope's key id is only an unauthenticated hint).
   */
  private static String signerOf(
      ProvenanceResult result, byte[] document, ProvenanceOptions options) {
    Signer signer = result.signer();
    if (Signer.CERTIFICATE.equals(signer.kind())) {
      return "certificate:" + signer.identity() + "|" + signer.issuer();
    }
    for (var key : options.keys()) {
      if (ProvenanceVerifier.verify(document, options.withKeys(List.of(key))).valid()) {
        return "key:" + key.fingerprint();
      }
    }
    return "key:" + signer.keyId();
  }

  /** The one sha256 digest every counted statement has among its subjects, if exactly one. */
  private static Optional<String> commonSubjectDigest(List<ProvenanceOutcome> outcomes) {
    Set<String> common = null;
    for (ProvenanceOutcome outcome : outcomes) {
      if (!outcome.counted()) {
        continue;
      }
      Set<String> digests = new HashSet<>();
      outcome
          .result()
          .subjects()
          .forEach(s -> {
            String hex = s.digest().get("sha256");
            if (hex != null && hex.length() == 64 && Hex.isHex(hex)) {
              digests.add(hex.toLowerCase(java.util.Locale.ROOT));
            }
          });
      if (common == null) {
        common = digests;
      } else {
        common.retainAll(digests);
      }
    }
    return common != null && common.size() == 1
        ? Optional.of("sha256:" + common.iterator().next())
        : Optional.empty();
  }

  private static ObjectNode derive(
      SupplyChainPolicy policy,
      List<ProvenanceOutcome> outcomes,
      Optional<String> artifact,
      List<Problem> reasons) {
    ObjectNode derived = JsonNodeFactory.instance.objectNode();
    if (policy.derive().isEmpty() || artifact.isEmpty()) {
      return derived;
    }
    ArtifactDigest expected = ArtifactDigest.parse(artifact.get());
    for (SupplyChainPolicy.Derivation derivation : policy.derive()) {
      Optional<String> value =
          outcomes.stream()
              .filter(ProvenanceOutcome::counted)
              .flatMap(o -> o.result().subjects().stream())
              .filter(expected::matches)
              .map(s -> s.digest().get(derivation.algorithm()))
              .filter(v -> v != null)
              .findFirst();
      if (value.isEmpty()) {
        reasons.add(
            Problem.of(
                SupplyChainProblem.REFERENCE_VALUES_NOT_DERIVABLE,
                "no verified provenance subject with %s has a %s digest for %s.%s",
                artifact.get(),
                derivation.algorithm(),
                derivation.scheme(),
                derivation.claim()));
        continue;
      }
      ObjectNode scheme =
          derived.has(derivation.scheme())
              ? (ObjectNode) derived.get(derivation.scheme())
              : derived.putObject(derivation.scheme());
      scheme.put(derivation.claim(), value.get().toLowerCase(java.util.Locale.ROOT));
    }
    return derived;
  }

  static String clip(String text) {
    if (text == null) {
      return "(none)";
    }
    return text.length() > 120 ? text.substring(0, 120) + "..." : text;
  }
}
