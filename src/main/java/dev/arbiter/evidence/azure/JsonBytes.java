// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.ProblemException;
import java.util.Base64;

/**
 * Byte strings in Azure evidence JSON: a hex string (trustee v1 {@code tpm_quote} fields), a base64url
 * or base64 string (trustee v1 {@code hcl_report}, {@code vcek}, {@code td_quote}), or a JSON array of
 * integers 0..255 (serde's default for {@code Vec<u8>}, trustee v0).
 */
final class JsonBytes {
  private JsonBytes() {}

  /** @throws ProblemException EVIDENCE_MALFORMED when the member is missing or not a byte string */
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
        if (!item.isIntegralNumber() || !item.canConvertToInt() || item.asInt() < 0 || item.asInt() > 255) {
          throw malformed(field + "[" + i + "] is not a byte (0..255)");
        }
        out[i] = (byte) item.asInt();
      }
      return out;
    }
    if (!node.isTextual()) {
      throw malformed(field + " must be a hex or base64 string or an array of bytes");
    }
    String text = node.asText().strip();
    if (text.length() > 2L * maxBytes + 4) {
      throw malformed(field + " has more than " + maxBytes + " bytes");
    }
    byte[] out;
    try {
      if (Hex.isHex(text)) {
        out = Hex.decode(text);
      } else {
        String compact = text.chars().anyMatch(Character::isWhitespace) ? text.replaceAll("\\s", "") : text;
        out = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
            ? Base64.getUrlDecoder().decode(compact)
            : Base64.getDecoder().decode(compact);
      }
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
