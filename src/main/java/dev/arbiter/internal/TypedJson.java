// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to untrusted JSON trees (SBOMs, OSV records, ...): a missing required field or a
 * wrong type is a {@link ProblemException} of the domain's "malformed" type, naming the field.
 * Thread-safe.
 */
public final class TypedJson {
  private final ProblemType malformed;
  private final boolean requireNonEmpty;

  /**
   * @param malformed the problem type for malformed input
   * @param requireNonEmpty whether a required text field must also be non-empty
   */
  public TypedJson(ProblemType malformed, boolean requireNonEmpty) {
    this.malformed = malformed;
    this.requireNonEmpty = requireNonEmpty;
  }

  /** The field's text, or null when absent or JSON null; any other type is malformed. */
  public String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw malformed(where + "." + field + " is not a string");
    }
    return value.textValue();
  }

  public String requiredText(JsonNode node, String field, String where) {
    String value = text(node, field, where);
    if (value == null || (requireNonEmpty && value.isEmpty())) {
      throw malformed(where + "." + field + " is missing");
    }
    return value;
  }

  /** The elements of an array field (empty when absent); each must be an object. */
  public List<JsonNode> objects(JsonNode node, String field, String where) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode element : array(node, field, where)) {
      if (!element.isObject()) {
        throw malformed(where + "." + field + "[] is not an object");
      }
      out.add(element);
    }
    return out;
  }

  /** The elements of an array field (empty when absent); each must be a string. */
  public List<String> strings(JsonNode node, String field, String where) {
    List<String> out = new ArrayList<>();
    for (JsonNode element : array(node, field, where)) {
      if (!element.isTextual()) {
        throw malformed(where + "." + field + "[] is not a string");
      }
      out.add(element.textValue());
    }
    return out;
  }

  public List<JsonNode> array(JsonNode node, String field, String where) {
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

  /** An object field, or null when absent; any other type is malformed. */
  public JsonNode object(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw malformed(where + "." + field + " is not an object");
    }
    return value;
  }

  public ProblemException malformed(String detail) {
    return new ProblemException(malformed, detail);
  }
}
