// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.TypedJson;
import dev.arbiter.problem.ProblemException;
import java.util.List;

/** Static shorthands (for static imports) over the shared {@link TypedJson}: typed access to untrusted SBOM JSON; a wrong type is {@link SbomProblem#SBOM_MALFORMED}. */
final class JsonFields {
  static final TypedJson JSON = new TypedJson(SbomProblem.SBOM_MALFORMED, false);

  private JsonFields() {}

  static String text(JsonNode node, String field, String where) {
    return JSON.text(node, field, where);
  }

  static String requiredText(JsonNode node, String field, String where) {
    return JSON.requiredText(node, field, where);
  }

  static List<JsonNode> objects(JsonNode node, String field, String where) {
    return JSON.objects(node, field, where);
  }

  static List<String> strings(JsonNode node, String field, String where) {
    return JSON.strings(node, field, where);
  }

  static List<JsonNode> array(JsonNode node, String field, String where) {
    return JSON.array(node, field, where);
  }

  static JsonNode object(JsonNode node, String field, String where) {
    return JSON.object(node, field, where);
  }

  static ProblemException malformed(String detail) {
    return JSON.malformed(detail);
  }
}
