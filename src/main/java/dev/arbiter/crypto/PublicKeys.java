// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses verification keys supplied by operators ({@code --key}): PEM SubjectPublicKeyInfo (one or
 * more {@code PUBLIC KEY} blocks), DER SubjectPublicKeyInfo, a JWK, a JWK Set ({@code {"keys":
 * [...]}}) or a JSON list of keys, where each entry is a JWK or a trust-anchor object holding the
 * JWK under {@code pkey}, {@code key} or {@code jwk} next to string attributes (e.g. the Veraison
 * CCA/PSA store's {@code instance-id} and {@code implementation-id}). EC keys must be P-256, P-384
 * or P-521 and are checked to lie on their curve; RSA keys must have at least 2048 bits.
 * Thread-safe.
 */
public final class PublicKeys {
  /** Input larger than this is refused. */
  public static final int MAX_BYTES = 1024 * 1024;

  private PublicKeys() {}

  /**
   * A parsed key and the attributes that came with it (lower-cased hex strings stay as given, keys
   * as in the source, e.g. {@code instance-id}).
   */
  public record TrustedKey(PublicKey key, Map<String, String> attributes) {
    public TrustedKey {
      attributes = Map.copyOf(attributes);
    }

    public Optional<String> attribute(String name) {
      return Optional.ofNullable(attributes.get(name));
    }
  }

  /**
   * Parses one key file.
   *
   * @throws GeneralSecurityException when the input holds no key or a malformed or unsupported one
   */
  public static List<TrustedKey> parse(byte[] bytes) throws GeneralSecurityException {
    if (bytes.length > MAX_BYTES) {
      throw new GeneralSecurityException("key file larger than " + MAX_BYTES + " bytes");
    }
    if (Certificates.isPem(bytes)) {
      return parsePem(new String(bytes, StandardCharsets.US_ASCII));
    }
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.startsWith("{") || text.startsWith("[")) {
      return parseJson(bytes);
    }
    return List.of(new TrustedKey(fromSpki(bytes), Map.of()));
  }

  /** Parses every file, in order. */
  public static List<TrustedKey> parseAll(List<byte[]> files) throws GeneralSecurityException {
    List<TrustedKey> out = new ArrayList<>();
    for (byte[] file : files) {
      out.addAll(parse(file));
    }
    return out;
  }

  /** A key from DER SubjectPublicKeyInfo (EC or RSA), validated. */
  public static PublicKey fromSpki(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return validate(
            KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException | RuntimeException e) {
        last =
            e instanceof GeneralSecurityException g
                ? g
                : new GeneralSecurityException(e.getMessage(), e);
      }
    }
    throw new GeneralSecurityException(
        "not an EC or RSA SubjectPublicKeyInfo: " + last.getMessage(), last);
  }

  /**
   * An RSA key from its modulus and public exponent, validated (at least 2048 bits).
   *
   * @throws GeneralSecurityException when the key is too short or the values are not a key
   */
  public static PublicKey rsa(BigInteger modulus, BigInteger exponent)
      throws GeneralSecurityException {
    return validate(
        KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)));
  }

  private static List<TrustedKey> parsePem(String text) throws GeneralSecurityException {
    List<TrustedKey> out = new ArrayList<>();
    List<Certificates.PemBlock> blocks;
    try {
      blocks = Certificates.pemBlocks(text);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("PEM block is not valid base64");
    }
    for (Certificates.PemBlock block : blocks) {
      if (block.label().equals("PUBLIC KEY")) {
        out.add(new TrustedKey(fromSpki(block.der()), Map.of()));
      } else if (block.label().equals("CERTIFICATE")) {
        out.add(
            new TrustedKey(validate(Certificates.parseDer(block.der()).getPublicKey()), Map.of()));
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("no PUBLIC KEY block in PEM input");
    }
    return out;
  }

  private static List<TrustedKey> parseJson(byte[] bytes) throws GeneralSecurityException {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (IOException e) {
      throw new GeneralSecurityException("key file is not well-formed JSON");
    }
    List<TrustedKey> out = new ArrayList<>();
    if (root.isObject() && root.has("keys") && root.get("keys").isArray()) {
      root = root.get("keys");
    }
    if (root.isArray()) {
      for (JsonNode entry : root) {
        out.add(entry(entry));
      }
    } else {
      out.add(entry(root));
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("empty key list");
    }
    return out;
  }

  private static TrustedKey entry(JsonNode node) throws GeneralSecurityException {
    if (!node.isObject()) {
      throw new GeneralSecurityException("key list entry is not a JSON object");
    }
    if (node.has("kty")) {
      return new TrustedKey(fromJwk(node), Map.of());
    }
    for (String member : List.of("pkey", "key", "jwk")) {
      JsonNode jwk = node.get(member);
      if (jwk != null && jwk.isObject()) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (var field : node.properties()) {
          if (!field.getKey().equals(member) && field.getValue().isTextual()) {
            attributes.put(field.getKey(), field.getValue().asText());
          }
        }
        return new TrustedKey(fromJwk(jwk), attributes);
      }
    }
    throw new GeneralSecurityException("key list entry has neither kty nor a pkey/key/jwk member");
  }

  /** A key from a JWK object (EC P-256/384/521 or RSA), validated. */
  public static PublicKey fromJwk(JsonNode jwk) throws GeneralSecurityException {
    String kty = text(jwk, "kty");
    switch (kty) {
      case "EC" -> {
        EcKeys.Curve curve =
            EcKeys.Curve.byJoseName(text(jwk, "crv"))
                .orElseThrow(
                    () -> new GeneralSecurityException("unsupported JWK curve: " + jwk.get("crv")));
        return EcKeys.fromAffine(curve, base64url(jwk, "x"), base64url(jwk, "y"));
      }
      case "RSA" -> {
        return rsa(new BigInteger(1, base64url(jwk, "n")), new BigInteger(1, base64url(jwk, "e")));
      }
      default -> throw new GeneralSecurityException("unsupported JWK kty: " + kty);
    }
  }

  private static PublicKey validate(PublicKey key) throws GeneralSecurityException {
    if (key instanceof ECPublicKey ec) {
      EcKeys.validate(ec);
    } else if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new GeneralSecurityException("RSA key shorter than 2048 bits");
      }
    } else {
      throw new GeneralSecurityException("unsupported key type: " + key.getAlgorithm());
    }
    return key;
  }

  private static String text(JsonNode node, String member) throws GeneralSecurityException {
    JsonNode value = node.get(member);
    if (value == null || !value.isTextual()) {
      throw new GeneralSecurityException("JWK member '" + member + "' missing or not a string");
    }
    return value.asText();
  }

  private static byte[] base64url(JsonNode node, String member) throws GeneralSecurityException {
    String value = text(node, member);
    try {
      return Encodings.base64Url(value);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("JWK member '" + member + "' is not unpadded base64url");
    }
  }
}
