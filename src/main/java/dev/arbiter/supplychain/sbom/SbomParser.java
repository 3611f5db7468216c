// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import static dev.arbiter.supplychain.sbom.JsonFields.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an SBOM: CycloneDX 1.2 to 1.6 JSON, SPDX 2.2/2.3 JSON, or an in-toto Statement (v0.1 or v1)
 * whose predicate is one of those ({@code predicateType} {@code https://cyclonedx.org/bom[/vX]} or
 * {@code https://spdx.dev/Document[/vX]}); for a Statement the subjects join the binding.
 *
 * <p>Security: input is untrusted. Parsing is strict JSON (duplicate keys refused, nesting and
 * sizes bounded by {@link Json}); every refusal is a {@link ProblemException} carrying an {@link
 * SbomProblem}; no other exception escapes for any input. A Statement is read as given: its DSSE
 * signature, if any, must have been verified by the caller (provenance verification). Thread-safe.
 */
public final class SbomParser {
  private static final Set<String> STATEMENT_TYPES =
      Set.of("https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1");

  private SbomParser() {}

  /**
   * @throws ProblemException with an {@link SbomProblem} when the input is refused
   */
  public static Sbom parse(byte[] bytes) {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw JSON.malformed("not well-formed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw JSON.malformed("unreadable JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw JSON.malformed("the document is not a JSON object");
    }
    try {
      return parse(root);
    } catch (ProblemException e) {
      throw e;
    } catch (RuntimeException e) { // defensive: no unchecked exception may escape for bad input
      throw JSON.malformed("cannot read SBOM: " + e.getClass().getSimpleName());
    }
  }

  private static Sbom parse(JsonNode root) {
    String statementType = root.has("_type") ? JSON.text(root, "_type", "statement") : null;
    if (statementType != null) {
      return parseStatement(root, statementType);
    }
    return parseDocument(root);
  }

  private static Sbom parseDocument(JsonNode root) {
    if (root.has("bomFormat")) {
      String bomFormat = JSON.text(root, "bomFormat", "bom");
      if (!"CycloneDX".equals(bomFormat)) {
        throw new ProblemException(
            SbomProblem.SBOM_UNSUPPORTED_FORMAT, "bomFormat is not CycloneDX");
      }
      return CycloneDxReader.read(root);
    }
    if (root.has("spdxVersion")) {
      return SpdxReader.read(root);
    }
    if (root.has("@context") || root.has("@graph")) {
      throw new ProblemException(
          SbomProblem.SBOM_UNSUPPORTED_VERSION, "SPDX 3 / JSON-LD documents are not supported");
    }
    throw new ProblemException(
        SbomProblem.SBOM_UNSUPPORTED_FORMAT,
        "no bomFormat (CycloneDX), spdxVersion (SPDX) or in-toto _type");
  }

  private static Sbom parseStatement(JsonNode root, String type) {
    if (!STATEMENT_TYPES.contains(type)) {
      throw new ProblemException(
          SbomProblem.SBOM_UNSUPPORTED_FORMAT,
          "unknown in-toto _type " + CycloneDxReader.clip(type));
    }
    String predicateType = JSON.text(root, "predicateType", "statement");
    if (predicateType == null
        || !(predicateType.equals("https://cyclonedx.org/bom")
            || predicateType.startsWith("https://cyclonedx.org/bom/")
            || predicateType.equals("https://spdx.dev/Document")
            || predicateType.startsWith("https://spdx.dev/Document/"))) {
      throw new ProblemException(
          SbomProblem.SBOM_UNSUPPORTED_FORMAT,
          "statement predicateType is not an SBOM: "
              + (predicateType == null ? "none" : CycloneDxReader.clip(predicateType)));
    }
    JsonNode predicate = JsonFields.JSON.object(root, "predicate", "statement");
    if (predicate == null) {
      throw JSON.malformed("statement has no predicate object");
    }
    Sbom inner = parseDocument(predicate);
    boolean cyclone = predicateType.startsWith("https://cyclonedx.org/");
    if (cyclone != (inner.format() == SbomFormat.CYCLONEDX)) {
      throw new ProblemException(
          SbomProblem.SBOM_UNSUPPORTED_FORMAT,
          "predicateType does not match the predicate's format");
    }
    List<SbomBinding.Subject> subjects = new ArrayList<>();
    List<JsonNode> statementSubjects = JSON.objects(root, "subject", "statement");
    if (statementSubjects.isEmpty()) {
      throw JSON.malformed("statement has no subject");
    }
    for (JsonNode subject : statementSubjects) {
      Map<String, String> digests = new LinkedHashMap<>();
      JsonNode digest = JsonFields.JSON.object(subject, "digest", "subject[]");
      if (digest != null) {
        for (var entry : digest.properties()) {
          if (!entry.getValue().isTextual()
              || Hashes.hexValue(entry.getValue().textValue()) == null) {
            throw JSON.malformed(
                "subject[].digest."
                    + CycloneDxReader.clip(entry.getKey())
                    + " is not a hex string");
          }
          digests.put(
              Hashes.algorithm(entry.getKey()), Hashes.hexValue(entry.getValue().textValue()));
        }
      }
      String name = JSON.text(subject, "name", "subject[]");
      subjects.add(
          new SbomBinding.Subject(
              name == null ? "" : name, digests, SbomBinding.Source.INTOTO_STATEMENT));
    }
    subjects.addAll(inner.binding().subjects());
    return new Sbom(
        inner.format(),
        inner.specVersion(),
        inner.components(),
        new SbomBinding(inner.binding().documentName(), subjects));
  }
}
