// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.PublicKeys;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes supplied attestation keys: PEM SubjectPublicKeyInfo, a JWK, a JWK Set or JSON list of
 * JWKs / PEM strings, or a TPMT_PUBLIC / TPM2B_PUBLIC. Only RSA and EC public keys are accepted.
 */
final class AkKeys {
  private AkKeys() {}

  /** One usable key; {@code tpmt} is present when it came as a TPM public area. */
  record AkKey(PublicKey key, Optional<TpmtPublic> tpmt) {}

  static List<AkKey> parse(byte[] bytes) throws TpmFormatException {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (Certificates.isPem(bytes)) {
      return fromPem(text);
    }
    if (text.startsWith("{") || text.startsWith("[")) {
      return fromJson(text);
    }
    TpmtPublic tpmt = TpmtPublic.parse(bytes);
    return List.of(new AkKey(tpmt.key(), Optional.of(tpmt)));
  }

  private static List<AkKey> fromPem(String text) throws TpmFormatException {
    List<AkKey> keys = new ArrayList<>();
    for (Certificates.PemBlock block : Certificates.pemBlocks(text)) {
      if (block.label().equals("PUBLIC KEY")) {
        keys.add(new AkKey(spki(block.der()), Optional.empty()));
      }
    }
    if (keys.isEmpty()) {
      throw new TpmFormatException("no PUBLIC KEY block in PEM key file");
    }
    return keys;
  }

  private static List<AkKey> fromJson(String text) throws TpmFormatException {
    JsonNode node;
    try {
      node = Json.readTree(text);
    } catch (java.io.IOException | RuntimeException e) {
      throw new TpmFormatException("key file is not valid JSON");
    }
    if (node.isObject() && node.has("keys")) {
      node = node.get("keys");
    }
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else {
      items.add(node);
    }
    List<AkKey> keys = new ArrayList<>();
    for (JsonNode item : items) {
      if (item.isTextual()) {
        keys.addAll(fromPem(item.asText()));
      } else if (item.isObject()) {
        keys.add(new AkKey(jwk(item.toString()), Optional.empty()));
      } else {
        throw new TpmFormatException("key list entries must be JWK objects or PEM strings");
      }
    }
    if (keys.isEmpty()) {
      throw new TpmFormatException("key list is empty");
    }
    return keys;
  }

  private static PublicKey jwk(String json) throws TpmFormatException {
    try {
      JWK jwk = JWK.parse(json);
      if (jwk.isPrivate()) {
        throw new TpmFormatException("JWK holds a private key; supply the public key only");
      }
      if (jwk instanceof AsymmetricJWK asymmetric) {
        return asymmetric.toPublicKey();
      }
      throw new TpmFormatException("JWK key type " + jwk.getKeyType() + " is not RSA or EC");
    } catch (java.text.ParseException | JOSEException | RuntimeException e) {
      throw new TpmFormatException("malformed JWK: " + e.getMessage());
    }
  }

  /** An RSA (at least 2048 bits) or EC (P-256/384/521, on its curve) SubjectPublicKeyInfo. */
  static PublicKey spki(byte[] der) throws TpmFormatException {
    try {
      return PublicKeys.fromSpki(der);
    } catch (GeneralSecurityException e) {
      throw new TpmFormatException("PUBLIC KEY is not an RSA or EC SubjectPublicKeyInfo");
    }
  }
}
