// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Encodings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DPoP-style proof that the caller holds the private key of the EAR's {@code cnf}: a compact
 * JWS, header {@code {"typ":"arbiter-pop+jwt","alg":"ES256"|"ES384"}} (ES256 for P-256 keys, ES384
 * for P-384), claims {@code {"htm":"POST","htu":"https://host:port/v1/resources/NAME",
 * "nonce":"<from /v1/challenge>","iat":<seconds>,"ath":"<base64url SHA-256 of the EAR>"}}. The
 * server checks the signature under {@code cnf}, {@code htm} and {@code htu} against the request,
 * {@code iat} within {@link #WINDOW} of its clock, {@code ath} against the EAR sent with it, and
 * consumes the nonce. Stateless and thread-safe.
 */
public final class PossessionProof {
  public static final String TYPE = "arbiter-pop+jwt";

  /** How far {@code iat} may be from the server's clock, either way. */
  public static final Duration WINDOW = Duration.ofSeconds(60);

  private PossessionProof() {}

  /**
   * Creates a proof with the TEE's private key (client side: {@code arbiter secret get}, tests).
   */
  public static String create(
      ECKey privateKey, String method, URI url, String nonce, String token, Instant issuedAt) {
    if (!privateKey.isPrivate()) {
      throw new IllegalArgumentException("a proof of possession needs the private key");
    }
    JWSAlgorithm algorithm =
        Curve.P_384.equals(privateKey.getCurve()) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256;
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .claim("htm", method)
            .claim("htu", url.toString())
            .claim("nonce", nonce)
            .claim("iat", issuedAt.getEpochSecond())
            .claim("ath", tokenHash(token))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).type(new JOSEObjectType(TYPE)).build(), claims);
    try {
      jwt.sign(dev.arbiter.crypto.JoseCrypto.signer(privateKey));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign the proof: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** base64url (no padding) of SHA-256 over the token's ASCII form, as DPoP's {@code ath}. */
  static String tokenHash(String token) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Digests.sha256(token.strip().getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Where the request arrived: method and raw path, and the server's configured external base URLs
   * ({@code serve --external-url}; never the client's own {@code Host} header).
   */
  record Target(String method, String path, List<URI> externalUrls) {
    Target {
      externalUrls = List.copyOf(externalUrls);
    }
  }

  /**
   * Verifies a proof for {@code target} under {@code cnf}.
   *
   * @return the nonce bytes (not yet consumed)
   */
  static byte[] verify(String proof, ECKey cnf, Target target, String token, Instant now)
      throws Refusal {
    String compact = proof.strip();
    if (compact.chars().filter(c -> c == '.').count() != 2) {
      throw new Refusal("proof-malformed", "the proof is not a compact JWS");
    }
    SignedJWT jwt;
    Map<String, Object> claims;
    try {
      jwt = SignedJWT.parse(compact);
      claims = jwt.getPayload().toJSONObject();
      if (claims == null) {
        throw new ParseException("payload is not a JSON object", 0);
      }
    } catch (ParseException | RuntimeException e) {
      throw new Refusal("proof-malformed", "the proof is not a signed JWT");
    }
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm expected =
        Curve.P_384.equals(cnf.getCurve()) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256;
    if (!expected.equals(header.getAlgorithm())) {
      throw new Refusal(
          "proof-algorithm",
          "proof algorithm "
              + header.getAlgorithm()
              + " does not fit the cnf key ("
              + expected
              + ")");
    }
    if (header.getType() == null || !TYPE.equals(header.getType().getType())) {
      throw new Refusal("proof-malformed", "proof typ must be " + TYPE);
    }
    try {
      if (!dev.arbiter.crypto.JoseCrypto.verify(jwt, cnf)) {
        throw new Refusal("proof-signature", "the proof does not verify under the cnf key");
      }
    } catch (JOSEException e) {
      throw new Refusal(
          "proof-signature", "the proof cannot be verified under the cnf key: " + e.getMessage());
    }
    if (!(claims.get("htm") instanceof String htm) || !htm.equals(target.method())) {
      throw new Refusal(
          "proof-method",
          "the proof names method " + claims.get("htm") + ", the request is " + target.method());
    }
    if (!(claims.get("htu") instanceof String htu) || !sameUrl(htu, target)) {
      throw new Refusal(
          "proof-url",
          "the proof names "
              + abbreviate(claims.get("htu"))
              + ", the request is for "
              + target.path()
              + " at the server's external URL");
    }
    if (!(claims.get("iat") instanceof Long iat)) {
      throw new Refusal("proof-malformed", "proof iat must be an integer");
    }
    Duration age = Duration.between(Instant.ofEpochSecond(iat), now);
    if (age.abs().compareTo(WINDOW) > 0) {
      throw new Refusal(
          "proof-stale",
          "proof iat "
              + Instant.ofEpochSecond(iat)
              + " is more than "
              + WINDOW.toSeconds()
              + " s from "
              + now);
    }
    if (!(claims.get("ath") instanceof String ath)
        || !Digests.constantTimeEquals(
            ath.getBytes(StandardCharsets.US_ASCII),
            tokenHash(token).getBytes(StandardCharsets.US_ASCII))) {
      throw new Refusal("proof-token", "the proof's ath is not the hash of the token sent with it");
    }
    if (!(claims.get("nonce") instanceof String nonce)) {
      throw new Refusal("proof-malformed", "the proof has no nonce");
    }
    try {
      return Encodings.base64Url(nonce);
    } catch (IllegalArgumentException e) {
      throw new Refusal("nonce-malformed", "the proof's nonce is not base64url");
    }
  }

  /**
   * htu must be https with no userinfo, query or fragment, and name one of the server's external
   * URLs (scheme, host and port exactly; default port 443) followed by exactly the request's path
   * (below the external URL's own path, when it has one). The client's {@code Host} header plays no
   * part: a proof made for another host is refused whatever the request claims.
   */
  static boolean sameUrl(String htu, Target target) {
    URI uri;
    try {
      uri = new URI(htu);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getHost() == null
        || uri.getRawPath() == null) {
      return false;
    }
    for (URI base : target.externalUrls()) {
      if (matches(uri, base, target.path())) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(URI htu, URI base, String path) {
    if (base.getScheme() == null
        || !"https".equalsIgnoreCase(base.getScheme())
        || base.getHost() == null) {
      return false;
    }
    int port = htu.getPort() < 0 ? 443 : htu.getPort();
    int basePort = base.getPort() < 0 ? 443 : base.getPort();
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    if (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    return htu.getHost().toLowerCase(Locale.ROOT).equals(base.getHost().toLowerCase(Locale.ROOT))
        && port == basePort
        && (basePath + path).equals(htu.getRawPath());
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
