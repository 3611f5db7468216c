// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Encodings;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed (not yet verified) DSSE envelope. Nothing in it is trusted until a signature over {@link
 * #pae()} verifies.
 *
 * @param payloadType the declared media type of the payload
 * @param payload the decoded payload bytes
 * @param payloadText the payload exactly as it appeared (base64), for transparency-log comparison
 * @param signatures the signatures, in order
 */
public record Envelope(
    String payloadType, byte[] payload, String payloadText, List<DsseSignature> signatures) {
  /** In-toto's payload type. */
  public static final String IN_TOTO = "application/vnd.in-toto+json";

  /**
   * One signature.
   *
   * @param keyId the unauthenticated key hint (null when absent)
   * @param sig the decoded signature bytes
   * @param sigText the signature as it appeared (base64)
   */
  public record DsseSignature(String keyId, byte[] sig, String sigText) {}

  public Envelope {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    signatures = List.copyOf(signatures);
  }

  /** The bytes a DSSE signature covers. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }

  /**
   * True for in-toto payload types ({@code application/vnd.in-toto+json} or {@code
   * ...in-toto.<x>+json}).
   */
  public boolean isInToto() {
    return payloadType.equals(IN_TOTO)
        || (payloadType.startsWith("application/vnd.in-toto.") && payloadType.endsWith("+json"));
  }

  /**
   * Parses the JSON form {@code {"payload", "payloadType", "signatures": [{"keyid", "sig"}]}};
   * other fields are ignored.
   *
   * @throws ProblemException ({@link ProvenanceProblem#PROVENANCE_MALFORMED}) on a bad shape
   */
  public static Envelope parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw malformed("envelope is not a JSON object");
    }
    String payloadText = text(node, "payload");
    String payloadType = text(node, "payloadType");
    JsonNode sigs = node.get("signatures");
    if (sigs == null || !sigs.isArray()) {
      throw malformed("envelope has no signatures array");
    }
    List<DsseSignature> signatures = new ArrayList<>();
    for (JsonNode sig : sigs) {
      if (!sig.isObject()) {
        throw malformed("envelope signature is not an object");
      }
      JsonNode keyId = sig.get("keyid");
      if (keyId != null && !keyId.isNull() && !keyId.isTextual()) {
        throw malformed("signature keyid is not a string");
      }
      String sigText = text(sig, "sig");
      signatures.add(
          new DsseSignature(
              keyId == null || keyId.isNull() ? null : keyId.asText(),
              decode(sigText, "sig"),
              sigText));
    }
    if (signatures.size() > 64) {
      throw malformed("too many signatures");
    }
    return new Envelope(payloadType, decode(payloadText, "payload"), payloadText, signatures);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw malformed("envelope field '" + field + "' is missing or not a string");
    }
    return value.asText();
  }

  private static byte[] decode(String text, String field) {
    try {
      return Encodings.base64(text);
    } catch (IllegalArgumentException e) {
      throw malformed("envelope field '" + field + "' is not base64: " + e.getMessage());
    }
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_MALFORMED, detail);
  }
}
