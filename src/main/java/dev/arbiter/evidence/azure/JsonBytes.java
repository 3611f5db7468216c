// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.ProblemException;

/**
 * Byte strings in Azure evidence JSON: a hex string (trustee v1 {@code tpm_quote} fields), a
 * base64url or base64 string (trustee v1 {@code hcl_report}, {@code vcek}, {@code td_quote};
 * trustee pads its base64url), or a JSON array of integers 0..255 (serde's default for {@code
 * Vec<u8>}, trustee v0). Text is decoded by {@link Encodings} without any white space (no producer
 * wraps these strings).
 */
final class JsonBytes {
  private JsonBytes() {}

  /**
   * @throws ProblemException EVIDENCE_MALFORMED when the member is missing or not a byte string
   */
  static byte[] required(JsonNode parent, String field, int maxBytes) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw malformed("evidence JSON has no \"" + field + "\"");
    }
    return decode(node, field, maxBytes);
  }

  static byte[] decode(JsonNode node, String field, int maxBytes) {
    if (node.isArray()) {
      if (node.size() > maxBytes) {
        throw malformed(field + " has more than " + maxBytes + " bytes");
      }
      byte[] out = new byte[node.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode item = node.get(i);
        if (!item.isIntegralNumber()
            || !item.canConvertToInt()
            || item.asInt() < 0
            || item.asInt() > 255) {
          throw malformed(field + "[" + i + "] is not a byte (0..255)");
        }
        out[i] = (byte) item.asInt();
      }
      return out;
    }
    if (!node.isTextual()) {
      throw malformed(field + " must be a hex or base64 string or an array of bytes");
    }
    String text = node.asText();
    if (text.length() > 2L * maxBytes + 4) {
      throw malformed(field + " has more than " + maxBytes + " bytes");
    }
    byte[] out;
    try {
      out = Hex.isHex(text) ? Encodings.hex(text) : Encodings.base64(text);
    } catch (IllegalArgumentException e) {
      throw malformed(field + " is neither hex nor base64");
    }
    if (out.length > maxBytes) {
      throw malformed(field + " has more than " + maxBytes + " bytes");
    }
    return out;
  }

  static ProblemException malformed(String detail) {
    return new ProblemException(EvidenceProblem.EVIDENCE_MALFORMED, detail);
  }
}
