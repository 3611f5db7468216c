// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks that a Rekor entry's body records exactly this bundle: the payload hash, every signature
 * and the signing key or certificate, for kinds {@code intoto} 0.0.2, {@code dsse} 0.0.1 and {@code
 * hashedrekord} 0.0.1. Thread-safe.
 */
final class TlogBody {
  private TlogBody() {}

  /**
   * @param signingKeyDer the DER of the leaf certificate (keyless) or the SPKI (keyed) that signed
   * @throws ProblemException {@code PROVENANCE_TLOG_ENTRY_MISMATCH}
   */
  static void check(TlogEntry entry, Bundle bundle, byte[] signingKeyDer) {
    JsonNode body;
    try {
      body = Json.readTree(entry.body());
    } catch (IOException e) {
      throw mismatch(entry, "canonicalizedBody is not JSON");
    }
    if (!body.path("kind").asText("").equals(entry.kind())
        || !body.path("apiVersion").asText("").equals(entry.kindVersion())) {
      throw mismatch(entry, "body kind/apiVersion differ from kindVersion");
    }
    JsonNode spec = body.path("spec");
    String kind = entry.kind() + "/" + entry.kindVersion();
    Envelope envelope = bundle.envelope();
    switch (kind) {
      case "intoto/0.0.2" -> {
        requireEnvelope(entry, envelope, kind);
        JsonNode content = spec.path("content");
        checkPayloadHash(entry, content.path("payloadHash"), envelope.payload());
        if (!content
            .path("envelope")
            .path("payloadType")
            .asText("")
            .equals(envelope.payloadType())) {
          throw mismatch(entry, "payloadType differs");
        }
        JsonNode signatures = content.path("envelope").path("signatures");
        checkCount(entry, signatures, envelope.signatures().size());
        for (int i = 0; i < signatures.size(); i++) {
          String recorded =
              new String(decode(entry, signatures.get(i).path("sig")), StandardCharsets.UTF_8);
          if (!recorded.equals(envelope.signatures().get(i).sigText())) {
            throw mismatch(entry, "signature " + i + " differs from the envelope's");
          }
          checkKey(entry, signatures.get(i).path("publicKey"), signingKeyDer);
        }
      }
      case "dsse/0.0.1" -> {
        requireEnvelope(entry, envelope, kind);
        checkPayloadHash(entry, spec.path("payloadHash"), envelope.payload());
        JsonNode signatures = spec.path("signatures");
        checkCount(entry, signatures, envelope.signatures().size());
        for (int i = 0; i < signatures.size(); i++) {
          if (!Arrays.equals(
              decode(entry, signatures.get(i).path("signature")),
              envelope.signatures().get(i).sig())) {
            throw mismatch(entry, "signature " + i + " differs from the envelope's");
          }
          checkKey(entry, signatures.get(i).path("verifier"), signingKeyDer);
        }
      }
      case "hashedrekord/0.0.1" -> {
        if (bundle.messageSignature() == null) {
          throw mismatch(entry, "hashedrekord entry for a DSSE bundle");
        }
        JsonNode hash = spec.path("data").path("hash");
        if (!hash.path("algorithm").asText("").equals("sha256")
            || !hash.path("value")
                .asText("")
                .equalsIgnoreCase(Hex.encode(bundle.messageSignature().digest()))) {
          throw mismatch(entry, "recorded artifact digest differs from the message digest");
        }
        if (!Arrays.equals(
            decode(entry, spec.path("signature").path("content")),
            bundle.messageSignature().signature())) {
          throw mismatch(entry, "recorded signature differs from the message signature");
        }
        checkKey(entry, spec.path("signature").path("publicKey").path("content"), signingKeyDer);
      }
      default -> throw mismatch(entry, "unsupported entry kind " + kind);
    }
  }

  private static void requireEnvelope(TlogEntry entry, Envelope envelope, String kind) {
    if (envelope == null) {
      throw mismatch(entry, kind + " entry for a message-signature bundle");
    }
  }

  private static void checkPayloadHash(TlogEntry entry, JsonNode payloadHash, byte[] payload) {
    if (!payloadHash.path("algorithm").asText("").equals("sha256")
        || !payloadHash
            .path("value")
            .asText("")
            .equalsIgnoreCase(Hex.encode(Digests.sha256(payload)))) {
      throw mismatch(entry, "recorded payload hash differs from the envelope payload");
    }
  }

  private static void checkCount(TlogEntry entry, JsonNode signatures, int expected) {
    if (!signatures.isArray() || signatures.size() != expected) {
      throw mismatch(entry, "recorded signature count differs from the envelope's");
    }
  }

  /** The recorded key is base64 of a PEM certificate or PEM public key; it must be the signer's. */
  private static void checkKey(TlogEntry entry, JsonNode node, byte[] signingKeyDer) {
    String pem = new String(decode(entry, node), StandardCharsets.US_ASCII).strip();
    boolean certificate =
        pem.startsWith("-----BEGIN CERTIFICATE-----") && pem.endsWith("-----END CERTIFICATE-----");
    boolean publicKey =
        pem.startsWith("-----BEGIN PUBLIC KEY-----") && pem.endsWith("-----END PUBLIC KEY-----");
    if (!certificate && !publicKey) {
      throw mismatch(entry, "recorded signing key is not one PEM certificate or public key");
    }
    byte[] recorded;
    try {
      recorded =
          Encodings.base64(
              Encodings.withoutWhitespace(
                  pem.substring(pem.indexOf('\n') + 1, pem.lastIndexOf('\n'))));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw mismatch(entry, "recorded signing key is not valid PEM");
    }
    if (!Arrays.equals(recorded, signingKeyDer)) {
      throw mismatch(entry, "recorded signing key or certificate is not the bundle's signer");
    }
  }

  private static byte[] decode(TlogEntry entry, JsonNode node) {
    try {
      return Encodings.base64(node.asText(""));
    } catch (IllegalArgumentException e) {
      throw mismatch(entry, "recorded field is not base64");
    }
  }

  private static ProblemException mismatch(TlogEntry entry, String detail) {
    return new ProblemException(
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISMATCH,
        "tlog entry " + entry.logIndex() + ": " + detail);
  }
}
