// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON trees to CEL values: objects to {@code map(string, dyn)}, arrays to lists, integers to
 * {@code int} (long), other numbers to {@code double}. JSON {@code null} members are left out, so
 * {@code has(x.f)} is false for them.
 */
final class CelValues {
  private CelValues() {}

  static Object of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Map.of();
    }
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (var entry : node.properties()) {
        if (!entry.getValue().isNull()) {
          out.put(entry.getKey(), of(entry.getValue()));
        }
      }
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      for (JsonNode element : node) {
        if (!element.isNull()) {
          out.add(of(element));
        }
      }
      return out;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
