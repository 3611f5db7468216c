// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by UTF-16 code units, no white
 * space, ECMAScript number and string serialization. Used for every hash that third parties must
 * recompute (policy revisions, audit records, configuration digests).
 */
public final class Jcs {
  private Jcs() {}

  public static byte[] canonicalize(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Canonicalizes any value the shared mapper can turn into a tree. */
  public static byte[] canonicalize(Object value) {
    return canonicalize(Json.mapper().valueToTree(value));
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          names.add(it.next().getKey());
        }
        names.sort(String::compareTo); // String.compareTo orders by UTF-16 code units
        out.append('{');
        boolean first = true;
        for (String name : names) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(name, out);
          out.append(':');
          write(node.get(name), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.append(number(node));
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("not JSON: " + node.getNodeType());
    }
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      BigDecimal value = new BigDecimal(node.bigIntegerValue());
      if (value.abs().compareTo(BigDecimal.valueOf(9007199254740991L)) > 0) {
        throw new IllegalArgumentException("integer outside the IEEE-754 safe range: " + value);
      }
      return value.toPlainString();
    }
    return ecmaScriptNumber(node.doubleValue());
  }

  /** Number.prototype.toString for finite doubles (ECMA-262 7.1.12.1). */
  static String ecmaScriptNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("NaN and Infinity are not JSON");
    }
    if (value == 0) {
      return "0";
    }
    if (value < 0) {
      return "-" + ecmaScriptNumber(-value);
    }
    // Java 19+ Double.toString yields the shortest uniquely-distinguishing digits.
    BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    if (shortest.precision() == 2) {
      // Double.toString always renders two digits; one may already identify the double (5e-324).
      BigDecimal oneDigit =
          shortest.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
      if (Double.parseDouble(oneDigit.toString()) == value) {
        shortest = oneDigit.stripTrailingZeros();
      }
    }
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // value = 0.digits * 10^n
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    int exponent = n - 1;
    String sign = exponent < 0 ? "-" : "+";
    String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return mantissa + "e" + sign + Math.abs(exponent);
  }

  private static void writeString(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
