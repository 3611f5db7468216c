// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Hex;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, strict access to collateral JSON fields; every failure is a {@link
 * CollateralFormatException}.
 */
final class JsonFields {
  private JsonFields() {}

  static JsonNode object(JsonNode node, String field) throws CollateralFormatException {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new CollateralFormatException("'" + field + "' must be an object");
    }
    return value;
  }

  static JsonNode array(JsonNode node, String field) throws CollateralFormatException {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new CollateralFormatException("'" + field + "' must be an array");
    }
    return value;
  }

  static String text(JsonNode node, String field) throws CollateralFormatException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new CollateralFormatException("'" + field + "' must be a string");
    }
    return value.textValue();
  }

  static int integer(JsonNode node, String field) throws CollateralFormatException {
    JsonNode value = node.get(field);
    if (value == null
        || !value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < 0) {
      throw new CollateralFormatException("'" + field + "' must be a non-negative integer");
    }
    return value.intValue();
  }

  static Instant time(JsonNode node, String field) throws CollateralFormatException {
    String text = text(node, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CollateralFormatException(
          "'" + field + "' is not an RFC 3339 UTC time: " + abbreviate(text));
    }
  }

  static byte[] hex(JsonNode node, String field, int length) throws CollateralFormatException {
    String text = text(node, field);
    if (!Hex.isHex(text) || text.length() != 2 * length) {
      throw new CollateralFormatException("'" + field + "' must be " + length + " bytes of hex");
    }
    return Hex.decode(text);
  }

  static List<String> strings(JsonNode node, String field) throws CollateralFormatException {
    JsonNode value = node.get(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new CollateralFormatException("'" + field + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new CollateralFormatException("'" + field + "' must be an array of strings");
      }
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }

  static TcbStatus status(JsonNode node) throws CollateralFormatException {
    String text = text(node, "tcbStatus");
    return TcbStatus.parse(text)
        .orElseThrow(() -> new CollateralFormatException("unknown tcbStatus " + abbreviate(text)));
  }

  static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
