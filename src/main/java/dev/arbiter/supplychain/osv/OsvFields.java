// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;

/** Typed access to untrusted OSV JSON; a wrong type is {@link AdvisoryProblem#ADVISORY_MALFORMED}. */
final class OsvFields {
  private OsvFields() {}

  static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw malformed(where + "." + field + " is not a string");
    }
    return value.textValue();
  }

  static String requiredText(JsonNode node, String field, String where) {
    String value = text(node, field, where);
    if (value == null || value.isEmpty()) {
      throw malformed(where + "." + field + " is missing");
    }
    return value;
  }

  static List<JsonNode> objects(JsonNode node, String field, String where) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode element : array(node, field, where)) {
      if (!element.isObject()) {
        throw malformed(where + "." + field + "[] is not an object");
      }
      out.add(element);
    }
    return out;
  }

  static List<String> strings(JsonNode node, String field, String where) {
    List<String> out = new ArrayList<>();
    for (JsonNode element : array(node, field, where)) {
      if (!element.isTextual()) {
        throw malformed(where + "." + field + "[] is not a string");
      }
      out.add(element.textValue());
    }
    return out;
  }

  private static List<JsonNode> array(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw malformed(where + "." + field + " is not an array");
    }
    List<JsonNode> out = new ArrayList<>(value.size());
    value.forEach(out::add);
    return out;
  }

  static JsonNode object(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw malformed(where + "." + field + " is not an object");
    }
    return value;
  }

  static ProblemException malformed(String detail) {
    return new ProblemException(AdvisoryProblem.ADVISORY_MALFORMED, detail);
  }
}
