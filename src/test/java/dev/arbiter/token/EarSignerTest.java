// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EAR signing and verification without a server: jti, iat/exp in whole seconds, cnf, named vectors.
 */
class EarSignerTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.750Z");
  private final ServiceKey key = ServiceKey.generate();
  private final EarSigner signer =
      new EarSigner(key, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10), "test");

  private static Submodule submodule() {
    TrustVector vector =
        TrustVector.builder()
            .instanceIdentity(TrustVector.AFFIRMING)
            .executables(TrustVector.AFFIRMING)
            .build();
    return new Submodule(
        EarStatus.AFFIRMING, vector, List.of("p"), Map.of("arbiter.workload", "w"));
  }

  @Test
  void issue_reportsTheTokensJtiIatAndExp_andVerifies() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
    SignedEar ear = signer.issue(Map.of("w", submodule()), new byte[32], teeKey);
    assertThat(ear.issuedAt()).isEqualTo(Instant.parse("2026-06-01T12:00:00Z"));
    assertThat(ear.expiresAt()).isEqualTo(Instant.parse("2026-06-01T12:10:00Z"));
    VerifiedEar verified =
        new EarVerifier(new JWKSet(key.publicJwk()), Clock.fixed(NOW, ZoneOffset.UTC))
            .verify(ear.token());
    assertThat(verified.claims().get("jti")).isEqualTo(ear.jti());
    assertThat(verified.issuedAt()).isEqualTo(ear.issuedAt());
    assertThat(verified.expiresAt()).contains(ear.expiresAt());
    assertThat(verified.cnf().orElseThrow().computeThumbprint())
        .isEqualTo(teeKey.computeThumbprint());
    assertThat(verified.submods().get("w").vector())
        .isEqualTo(Map.of("instance-identity", 2, "executables", 2));
  }

  @Test
  void issue_writesTheJoseHeaderAndClaimsAsRelyingPartiesParseThem() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
    SignedEar ear = signer.issue(Map.of("w", submodule()), new byte[] {1, 2, 3}, teeKey);
    com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(ear.token());
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.keyId());
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("eat+jwt");
    assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key.publicJwk()))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getStringClaim("eat_profile")).isEqualTo(EarSigner.PROFILE);
    assertThat(claims.getStringClaim("eat_nonce")).isEqualTo("AQID");
    assertThat(claims.getStringClaim("ear.status")).isEqualTo("affirming");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(ear.issuedAt());
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(ear.expiresAt());
    assertThat(claims.getJWTID()).isEqualTo(ear.jti());
    assertThat(claims.getJSONObjectClaim("ear_verifier_id"))
        .containsEntry("build", "test")
        .containsEntry("developer", "https://github.com/arbiter-governance/arbiter");
    assertThat(claims.getJSONObjectClaim("cnf").get("jwk"))
        .isEqualTo(teeKey.toPublicJWK().toJSONObject());
  }

  @Test
  void issue_everyEarHasItsOwnJti() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
    assertThat(signer.issue(Map.of("w", submodule()), new byte[32], teeKey).jti())
        .isNotEqualTo(signer.issue(Map.of("w", submodule()), new byte[32], teeKey).jti());
  }

  @Test
  void verify_afterExp_isTokenExpired() throws Exception {
    String token =
        signer.sign(
            Map.of("w", submodule()),
            new byte[32],
            new ECKeyGenerator(Curve.P_256).generate().toPublicJWK());
    EarVerifier later =
        new EarVerifier(
            new JWKSet(key.publicJwk()),
            Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.verify(token))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(TokenProblem.TOKEN_EXPIRED));
  }

  @Test
  void trustVector_builderNamesTheClaims_andStatusCannotBeMoreTrustingThanTheVector() {
    TrustVector warned = TrustVector.builder().hardware(TrustVector.WARNING).build();
    assertThat(warned).isEqualTo(new TrustVector(0, 0, 0, 0, 32, 0, 0, 0));
    assertThat(warned.worstTier()).isEqualTo(EarStatus.WARNING);
    assertThat(TrustVector.none().worstTier()).isEqualTo(EarStatus.NONE);
    assertThatThrownBy(() -> new Submodule(EarStatus.AFFIRMING, warned, List.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
