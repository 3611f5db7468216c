// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.util.List;

/**
 * Writes the canonical (RFC 8785) leaf text of a {@link Decision} directly from its fields: no
 * reflection, no JSON tree, one pass. The members are written in JCS order (the body's keys and the
 * envelope's keys are fixed and already sorted by UTF-16 code units) and strings are escaped
 * exactly as {@link dev.arbiter.internal.Jcs} does, so the text is byte for byte what
 * canonicalizing the decision's JSON tree gives ({@code DecisionLeafTest} compares both over
 * generated decisions).
 */
final class DecisionLeaf {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private DecisionLeaf() {}

  /**
   * {@code {"body":{"evidence_sha256",...,"workload"},"kind":"decision","time"}} of {@code
   * decision}.
   */
  static String leafText(Decision decision) {
    String time = decision.time().toString();
    StringBuilder out = new StringBuilder(512);
    out.append("{\"body\":{\"evidence_sha256\":");
    string(decision.evidenceSha256(), out);
    out.append(",\"format\":");
    string(decision.format(), out);
    out.append(",\"instance_id\":");
    string(decision.instanceId(), out);
    out.append(",\"jti\":");
    string(decision.jti(), out);
    out.append(",\"matched_version\":");
    if (decision.matchedVersion() == null) {
      out.append("null");
    } else {
      string(decision.matchedVersion(), out);
    }
    out.append(",\"policy_revision\":");
    string(decision.policyRevision(), out);
    out.append(",\"reasons\":[");
    List<String> reasons = decision.reasons();
    for (int i = 0; i < reasons.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(reasons.get(i), out);
    }
    out.append("],\"time\":");
    string(time, out);
    out.append(",\"verdict\":");
    string(decision.verdict(), out);
    out.append(",\"workload\":");
    string(decision.workload(), out);
    out.append("},\"kind\":\"decision\",\"time\":");
    string(time, out);
    out.append('}');
    return out.toString();
  }

  /**
   * A JSON string as JCS writes it: {@code "} and {@code \} escaped, the five short escapes for
   * their control characters, {@code \}{@code u00xx} (lowercase hex) for the other C0 controls,
   * everything else as is, except that a lone surrogate becomes {@code ?} as in the UTF-8 leaf
   * data.
   */
  static void string(String text, StringBuilder out) {
    out.append('"');
    int length = text.length();
    int clean = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a well-formed pair
        continue;
      }
      out.append(text, clean, i);
      clean = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isSurrogate(c)) {
            // a lone surrogate: UTF-8 encoding writes '?', and the leaf text is that encoding's
            out.append('?');
          } else {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          }
        }
      }
    }
    out.append(text, clean, length);
    out.append('"');
  }
}
