// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.Severity;
import dev.arbiter.supplychain.provenance.ProvenanceOptions;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A workload's supply-chain policy (the JSON form is documented in this package's README): trusted
 * builder ids, signer identities and OIDC issuers, trusted keys, an optional Sigstore trusted root,
 * the reproducibility quorum, a CEL expression over the provenance, whether an SBOM is required,
 * the vulnerability policy, the control objective class that sets phase-out deadlines, and how to
 * derive reference values from provenance subjects. {@link #parse} validates everything (CEL
 * compiled, keys parsed, regular expressions compiled) or throws a typed problem naming the field.
 *
 * @param configured false for the implicit policy of a workload that has none (no requirements
 *     beyond checking what is given; default vulnerability policy)
 * @param normalized the canonical JSON form stored and shown
 */
public record SupplyChainPolicy(
    boolean configured,
    Set<String> builderIds,
    List<Pattern> signerIdentities,
    Set<String> oidcIssuers,
    List<TrustedKey> keys,
    Optional<TrustedRoot> trustedRoot,
    int quorum,
    Optional<CelPolicy> cel,
    boolean requireSbom,
    VulnerabilityPolicy vulnerabilities,
    Optional<String> phaseOutObjective,
    List<Derivation> derive,
    ObjectNode normalized) {

  private static final Set<String> FIELDS =
      Set.of(
          "builder_ids",
          "signer_identities",
          "oidc_issuers",
          "keys",
          "trusted_root",
          "quorum",
          "cel",
          "require_sbom",
          "vulnerabilities",
          "phase_out_objective",
          "derive");

  /** When a finding blocks admission (and, once deployed, triggers phase-out and warning EARs). */
  public record VulnerabilityPolicy(Double blockAtCvss, Set<Severity.Label> blockSeverities) {
    /** The default: block CRITICAL findings (CVSS >= 9.0 rates CRITICAL). */
    public static final VulnerabilityPolicy DEFAULT =
        new VulnerabilityPolicy(null, EnumSet.of(Severity.Label.CRITICAL));

    public boolean blocks(Severity severity) {
      return (blockAtCvss != null && severity.score() != null && severity.score() >= blockAtCvss)
          || blockSeverities.contains(severity.label());
    }

    public boolean blocks(Finding finding) {
      return blocks(finding.severity());
    }
  }

  /**
   * Reference value derived from provenance: {@code reference_values[scheme][claim]} = the hex
   * digest (under {@code algorithm}) of the subject that carries the version's artifact digest.
   */
  public record Derivation(String scheme, String claim, String algorithm) {}

  /** Variables of the CEL expression over one verified provenance statement. */
  public static final java.util.Map<String, dev.cel.common.types.CelType> CEL_VARIABLES =
      java.util.Map.of(
          "provenance", CelPolicy.dynMap(),
          "statement", CelPolicy.dynMap(),
          "builder_id", dev.cel.common.types.SimpleType.STRING,
          "predicate_type", dev.cel.common.types.SimpleType.STRING,
          "subjects", dev.cel.common.types.ListType.create(dev.cel.common.types.SimpleType.DYN),
          "signer", CelPolicy.dynMap());

  /** The implicit policy of a workload without one. */
  public static SupplyChainPolicy none() {
    return new SupplyChainPolicy(
        false,
        Set.of(),
        List.of(),
        Set.of(),
        List.of(),
        Optional.empty(),
        0,
        Optional.empty(),
        false,
        VulnerabilityPolicy.DEFAULT,
        Optional.empty(),
        List.of(),
        JsonNodeFactory.instance.objectNode());
  }

  /**
   * Provenance verification options for this policy (digest and clock set by the caller). The
   * certificate identity of keyless signatures is not checked by the verifier but by {@link
   * Admission} against {@link #signerIdentities} and {@link #oidcIssuers}, on every signed item.
   */
  public ProvenanceOptions options() {
    ProvenanceOptions options =
        ProvenanceOptions.defaults()
            .withKeys(keys)
            .withBuilderIds(builderIds)
            .withInsecureIgnoreIdentity();
    return trustedRoot.map(options::withTrustedRoot).orElse(options);
  }

  /** Parses and validates a policy document. */
  public static SupplyChainPolicy parse(JsonNode document) {
    if (document == null || !document.isObject()) {
      throw invalid("$", "must be a JSON object");
    }
    for (var names = document.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw invalid(
            name,
            "unknown field (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Set<String> builders = new LinkedHashSet<>(strings(document, "builder_ids"));
    out.set("builder_ids", array(builders));
    List<Pattern> identities = new ArrayList<>();
    for (String regex : strings(document, "signer_identities")) {
      try {
        identities.add(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw invalid("signer_identities", "not a regular expression: " + e.getDescription());
      }
    }
    out.set("signer_identities", array(strings(document, "signer_identities")));
    Set<String> issuers = new LinkedHashSet<>(strings(document, "oidc_issuers"));
    out.set("oidc_issuers", array(issuers));
    List<TrustedKey> keys = new ArrayList<>();
    ArrayNode keyNodes = out.putArray("keys");
    JsonNode keysNode = document.path("keys");
    if (!keysNode.isMissingNode() && !keysNode.isArray()) {
      throw invalid("keys", "must be a list of PEM strings or JWK objects");
    }
    for (int i = 0; i < keysNode.size(); i++) {
      JsonNode key = keysNode.get(i);
      byte[] bytes =
          key.isTextual()
              ? key.textValue().getBytes(StandardCharsets.UTF_8)
              : key.isObject() ? Json.write(key).getBytes(StandardCharsets.UTF_8) : null;
      if (bytes == null) {
        throw invalid("keys[" + i + "]", "must be a PEM string or a JWK object");
      }
      try {
        keys.addAll(TrustedKey.parse(bytes));
      } catch (ProblemException e) {
        throw invalid("keys[" + i + "]", e.problem().detail());
      }
      keyNodes.add(key.deepCopy());
    }
    Optional<TrustedRoot> root = Optional.empty();
    if (document.has("trusted_root")) {
      JsonNode node = document.get("trusted_root");
      if (!node.isObject()) {
        throw invalid("trusted_root", "must be a Sigstore trusted_root.json object");
      }
      try {
        root = Optional.of(TrustedRoot.parse(Json.write(node).getBytes(StandardCharsets.UTF_8)));
      } catch (ProblemException e) {
        throw invalid("trusted_root", e.problem().detail());
      }
      out.set("trusted_root", node.deepCopy());
    }
    JsonNode quorumNode = document.path("quorum");
    int quorum = 1;
    if (!quorumNode.isMissingNode()) {
      if (!quorumNode.canConvertToInt()
          || !quorumNode.isIntegralNumber()
          || quorumNode.intValue() < 0
          || quorumNode.intValue() > 16) {
        throw invalid("quorum", "must be an integer from 0 to 16");
      }
      quorum = quorumNode.intValue();
    }
    out.put("quorum", quorum);
    Optional<CelPolicy> cel = Optional.empty();
    if (document.hasNonNull("cel")) {
      if (!document.get("cel").isTextual()) {
        throw invalid("cel", "must be a CEL expression string");
      }
      CelPolicy.Compiled compiled =
          CelPolicy.compile(document.get("cel").textValue(), CEL_VARIABLES);
      if (compiled.policy().isEmpty()) {
        throw new ProblemException(
            dev.arbiter.policy.PolicyProblem.INVALID_CEL, "cel: " + compiled.error());
      }
      cel = compiled.policy();
      out.put("cel", document.get("cel").textValue());
    }
    boolean requireSbom = bool(document, "require_sbom", true);
    out.put("require_sbom", requireSbom);
    VulnerabilityPolicy vulnerabilities = vulnerabilities(document.path("vulnerabilities"), out);
    Optional<String> objective = Optional.empty();
    if (document.hasNonNull("phase_out_objective")) {
      String text = document.get("phase_out_objective").asText("");
      if (!document.get("phase_out_objective").isTextual()
          || !text.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
        throw invalid("phase_out_objective", "must be a control objective class name");
      }
      objective = Optional.of(text);
      out.put("phase_out_objective", text);
    }
    List<Derivation> derive = derivations(document.path("derive"), out);
    return new SupplyChainPolicy(
        true,
        Set.copyOf(builders),
        List.copyOf(identities),
        Set.copyOf(issuers),
        List.copyOf(keys),
        root,
        quorum,
        cel,
        requireSbom,
        vulnerabilities,
        objective,
        derive,
        out);
  }

  private static VulnerabilityPolicy vulnerabilities(JsonNode node, ObjectNode out) {
    if (node.isMissingNode() || node.isNull()) {
      out.putObject("vulnerabilities")
          .putNull("block_at_cvss")
          .putArray("block_severities")
          .add("CRITICAL");
      return VulnerabilityPolicy.DEFAULT;
    }
    if (!node.isObject()) {
      throw invalid("vulnerabilities", "must be an object {block_at_cvss, block_severities}");
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("block_at_cvss") && !name.equals("block_severities")) {
        throw invalid("vulnerabilities." + name, "unknown field");
      }
    }
    ObjectNode normalized = out.putObject("vulnerabilities");
    Double cvss = null;
    if (node.hasNonNull("block_at_cvss")) {
      JsonNode score = node.get("block_at_cvss");
      if (!score.isNumber() || score.doubleValue() < 0 || score.doubleValue() > 10) {
        throw invalid("vulnerabilities.block_at_cvss", "must be a CVSS score from 0.0 to 10.0");
      }
      cvss = score.doubleValue();
      normalized.put("block_at_cvss", cvss);
    } else {
      normalized.putNull("block_at_cvss");
    }
    Set<Severity.Label> labels = EnumSet.noneOf(Severity.Label.class);
    for (String label : strings(node, "block_severities")) {
      try {
        labels.add(Severity.Label.valueOf(label.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw invalid(
            "vulnerabilities.block_severities",
            "unknown severity '" + label + "' (LOW, MEDIUM, HIGH, CRITICAL, UNKNOWN)");
      }
    }
    ArrayNode list = normalized.putArray("block_severities");
    labels.forEach(label -> list.add(label.name()));
    return new VulnerabilityPolicy(cvss, labels);
  }

  private static List<Derivation> derivations(JsonNode node, ObjectNode out) {
    ArrayNode normalized = out.putArray("derive");
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    List<JsonNode> items = new ArrayList<>();
    if (node.isObject()) {
      items.add(node);
    } else if (node.isArray()) {
      node.forEach(items::add);
    } else {
      throw invalid("derive", "must be an object or a list of {scheme, claim, from, algorithm}");
    }
    List<Derivation> out2 = new ArrayList<>();
    for (JsonNode item : items) {
      String scheme = item.path("scheme").asText("");
      String claim = item.path("claim").asText("");
      String from = item.path("from").asText("subject-digest");
      String algorithm = item.path("algorithm").asText("sha256");
      if (!item.isObject() || scheme.isEmpty() || claim.isEmpty()) {
        throw invalid("derive", "each entry needs scheme and claim");
      }
      if (!from.equals("subject-digest")) {
        throw invalid("derive.from", "only 'subject-digest' is supported");
      }
      if (!Set.of("sha256", "sha384", "sha512").contains(algorithm)) {
        throw invalid("derive.algorithm", "must be sha256, sha384 or sha512");
      }
      for (var names = item.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!Set.of("scheme", "claim", "from", "algorithm").contains(name)) {
          throw invalid("derive." + name, "unknown field");
        }
      }
      out2.add(new Derivation(scheme, claim, algorithm));
      normalized
          .addObject()
          .put("scheme", scheme)
          .put("claim", claim)
          .put("from", from)
          .put("algorithm", algorithm);
    }
    return List.copyOf(out2);
  }

  private static List<String> strings(JsonNode document, String field) {
    JsonNode node = document.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(field, "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual() || element.textValue().isBlank()) {
        throw invalid(field, "must be a list of non-empty strings");
      }
      out.add(element.textValue());
    }
    return out;
  }

  private static boolean bool(JsonNode document, String field, boolean defaultValue) {
    JsonNode node = document.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return defaultValue;
    }
    if (!node.isBoolean()) {
      throw invalid(field, "must be true or false");
    }
    return node.booleanValue();
  }

  private static ArrayNode array(Iterable<String> values) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    values.forEach(out::add);
    return out;
  }

  private static ProblemException invalid(String field, String why) {
    return new ProblemException(SupplyChainProblem.SUPPLY_CHAIN_POLICY_INVALID, field + ": " + why);
  }
}
