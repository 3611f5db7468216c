// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import com.nimbusds.jose.jwk.JWK;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.crypto.TimeOrderedIds;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issues Attestation Results as EAR JWTs (draft-ietf-rats-ear, profile {@code
 * tag:ietf.org,2026:rats/ear#03}) signed ES256 by the service key ({@code kid} in JWKS), with the
 * TEE's key in {@code cnf.jwk} (RFC 7800) so the token is useless without that key, and a short
 * {@code exp}. Thread-safe.
 */
public final class EarSigner {
  public static final String PROFILE = "tag:ietf.org,2026:rats/ear#03";
  public static final String MEDIA_TYPE = "application/eat-jwt; eat_profile=\"" + PROFILE + "\"";

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final ServiceKey key;
  private final Clock clock;
  private final Duration lifetime;
  private final Map<String, String> verifierId;
  // base64url of {"alg":"ES256","kid":...,"typ":"eat+jwt"}
  private final String header;

  public EarSigner(ServiceKey key, Clock clock, Duration lifetime, String build) {
    this.key = key;
    this.clock = clock;
    this.lifetime = lifetime;
    this.verifierId =
        Map.of("developer", "https://github.com/arbiter-governance/arbiter", "build", build);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("alg", "ES256");
    fields.put("kid", key.keyId());
    fields.put("typ", "eat+jwt");
    try {
      this.header = B64URL.encodeToString(Json.mapper().writeValueAsBytes(fields));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Signs a result.
   *
   * @param submods label to appraisal (at least one)
   * @param nonce the challenge the evidence was bound to (becomes {@code eat_nonce})
   * @param teeKey the TEE's public key (becomes {@code cnf.jwk})
   */
  public String sign(Map<String, Submodule> submods, byte[] nonce, JWK teeKey) {
    return issue(submods, nonce, teeKey).token();
  }

  /**
   * Signs a result and says what was signed: the token, its unique {@code jti}, and its {@code iat}
   * and {@code exp} (whole seconds, exactly as in the token).
   */
  public SignedEar issue(Map<String, Submodule> submods, byte[] nonce, JWK teeKey) {
    if (submods.isEmpty()) {
      throw new IllegalArgumentException("an EAR needs at least one submodule");
    }
    if (teeKey.isPrivate()) {
      throw new IllegalArgumentException("cnf must hold a public key");
    }
    Instant at = clock.instant();
    Instant now = Instant.ofEpochSecond(at.getEpochSecond());
    Instant expires = Instant.ofEpochSecond(now.plus(lifetime).getEpochSecond());
    // time-ordered: the log indexes decisions by jti, and such ids append to that index
    String jti = TimeOrderedIds.next(at);
    Map<String, Object> submodJson = new LinkedHashMap<>();
    EarStatus overall = EarStatus.AFFIRMING;
    for (var entry : submods.entrySet()) {
      Submodule submod = entry.getValue();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ear_status", submod.status().label());
      json.put("ear_trustworthiness_vector", submod.vector().toJson());
      json.put("ear_appraisal_policy_ids", submod.policyIds());
      json.putAll(submod.extensions());
      submodJson.put(entry.getKey(), json);
      overall = overall.worse(submod.status());
    }
    // the claims written straight to UTF-8 JSON and signed with the service key: no claims-set
    // object, no second JSON library, the constant header encoded once
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("eat_profile", PROFILE);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", expires.getEpochSecond());
    claims.put("jti", jti);
    claims.put("ear_verifier_id", verifierId);
    claims.put("eat_nonce", B64URL.encodeToString(nonce));
    claims.put("ear.status", overall.label());
    claims.put("submods", submodJson);
    claims.put("cnf", Map.of("jwk", teeKey.toPublicJWK().toJSONObject()));
    byte[] payload;
    try {
      payload = Json.mapper().writeValueAsBytes(claims);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("EAR claims are not JSON: " + e.getMessage(), e);
    }
    String signingInput = header + "." + B64URL.encodeToString(payload);
    String token = signingInput + "." + key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return new SignedEar(token, jti, now, expires);
  }
}
