// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.crypto.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Issues Attestation Results as EAR JWTs (draft-ietf-rats-ear, profile {@code
 * tag:ietf.org,2026:rats/ear#03}) signed ES256 by the service key ({@code kid} in JWKS), with the
 * TEE's key in {@code cnf.jwk} (RFC 7800) so the token is useless without that key, and a short
 * {@code exp}. Thread-safe.
 */
public final class EarSigner {
  public static final String PROFILE = "tag:ietf.org,2026:rats/ear#03";
  public static final String MEDIA_TYPE = "application/eat-jwt; eat_profile=\"" + PROFILE + "\"";

  private final ServiceKey key;
  private final Clock clock;
  private final Duration lifetime;
  private final String build;

  public EarSigner(ServiceKey key, Clock clock, Duration lifetime, String build) {
    this.key = key;
    this.clock = clock;
    this.lifetime = lifetime;
    this.build = build;
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
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    Instant expires = Instant.ofEpochSecond(now.plus(lifetime).getEpochSecond());
    String jti = UUID.randomUUID().toString();
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
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .claim("eat_profile", PROFILE)
            .claim("iat", now.getEpochSecond())
            .claim("exp", expires.getEpochSecond())
            .jwtID(jti)
            .claim(
                "ear_verifier_id",
                Map.of(
                    "developer", "https://github.com/arbiter-governance/arbiter", "build", build))
            .claim("eat_nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce))
            .claim("ear.status", overall.label())
            .claim("submods", submodJson)
            .claim("cnf", Map.of("jwk", teeKey.toPublicJWK().toJSONObject()))
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(key.keyId())
            .type(new JOSEObjectType("eat+jwt"))
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(key.joseSigner());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign EAR", e);
    }
    return new SignedEar(jwt.serialize(), jti, now, expires);
  }
}
