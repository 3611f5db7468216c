// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.KeySignatures;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A verification key the caller trusts for keyed provenance (DSSE envelopes, keyed Sigstore
 * bundles). A key is trusted because it was configured, never because an envelope names it: the
 * envelope's {@code keyid} is an unauthenticated hint that only narrows which configured keys are
 * tried.
 *
 * @param id the key's declared id (e.g. npm's {@code SHA256:...} key id, a JWK {@code kid}), or
 *     null when the key file declares none
 * @param key the public key (EC P-256/P-384, RSA, Ed25519)
 */
public record TrustedKey(String id, PublicKey key) {
  public TrustedKey {
    Objects.requireNonNull(key, "key");
  }

  /** Hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
  public String fingerprint() {
    return Hex.encode(Digests.sha256(key.getEncoded()));
  }

  /**
   * True when the signature's key hint can name this key: the hint is absent or empty, equals the
   * declared id, or is one of the usual SPKI fingerprint spellings. A key without a declared id
   * matches any hint (the hint is unauthenticated, so it may only narrow the search).
   */
  public boolean matchesHint(String hint) {
    if (hint == null || hint.isEmpty() || id == null) {
      return true;
    }
    if (hint.equals(id)) {
      return true;
    }
    byte[] spkiHash = Digests.sha256(key.getEncoded());
    return hint.equalsIgnoreCase(Hex.encode(spkiHash))
        || hint.equals(Base64.getEncoder().encodeToString(spkiHash))
        || hint.equals("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(spkiHash));
  }

  /**
   * Parses a key file: PEM (one or more PUBLIC KEY or CERTIFICATE blocks), DER SPKI, a JWK, a JSON
   * list of JWKs, a JWKS ({@code {"keys": [...]}}), or npm's registry {@code keys.json} ({@code
   * {"keys": [{"keyId", "publicKey": {"rawBytes"}}]}}).
   *
   * @throws ProblemException ({@link ProvenanceProblem#PROVENANCE_KEY_MALFORMED}) when nothing
   *     usable is found
   */
  public static List<TrustedKey> parse(byte[] bytes) {
    try {
      List<TrustedKey> keys = new ArrayList<>();
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      if (Certificates.isPem(bytes)) {
        for (Certificates.PemBlock block : Certificates.pemBlocks(text)) {
          switch (block.label()) {
            case "PUBLIC KEY" -> keys.add(new TrustedKey(null, spki(block.der())));
            case "CERTIFICATE" ->
                keys.add(new TrustedKey(null, Certificates.parseDer(block.der()).getPublicKey()));
            default -> {}
          }
        }
      } else if (text.startsWith("{") || text.startsWith("[")) {
        collectJson(Json.readTree(text), keys);
      } else {
        keys.add(new TrustedKey(null, spki(bytes)));
      }
      if (keys.isEmpty()) {
        throw malformed("no public key found");
      }
      return List.copyOf(keys);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (e instanceof ProblemException problem) {
        throw problem;
      }
      throw malformed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static void collectJson(JsonNode node, List<TrustedKey> keys)
      throws GeneralSecurityException {
    if (node.isArray()) {
      for (JsonNode element : node) {
        collectJson(element, keys);
      }
    } else if (node.has("keys") && node.get("keys").isArray()) {
      collectJson(node.get("keys"), keys);
    } else if (node.has("publicKey") && node.get("publicKey").has("rawBytes")) {
      byte[] der = Encodings.base64(node.get("publicKey").get("rawBytes").asText());
      keys.add(new TrustedKey(node.path("keyId").asText(null), spki(der)));
    } else if (node.has("kty")) {
      try {
        var jwk = com.nimbusds.jose.jwk.JWK.parse(node.toString());
        PublicKey key =
            switch (jwk) {
              case com.nimbusds.jose.jwk.ECKey ec -> ec.toECPublicKey();
              case com.nimbusds.jose.jwk.RSAKey rsa -> rsa.toRSAPublicKey();
              case com.nimbusds.jose.jwk.OctetKeyPair okp -> spki(okp.toPublicKey().getEncoded());
              default ->
                  throw new GeneralSecurityException(
                      "unsupported JWK key type " + jwk.getKeyType());
            };
        keys.add(new TrustedKey(jwk.getKeyID(), key));
      } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
        throw new GeneralSecurityException("malformed JWK: " + e.getMessage(), e);
      }
    } else {
      throw new GeneralSecurityException("JSON key entry has neither kty nor publicKey.rawBytes");
    }
  }

  /**
   * Parses a DER SubjectPublicKeyInfo of any supported algorithm (see {@link KeySignatures#spki}).
   */
  public static PublicKey spki(byte[] der) throws GeneralSecurityException {
    return KeySignatures.spki(der);
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_KEY_MALFORMED, "key file: " + detail);
  }
}
