// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EAR signing ({@link EarSigner}) and verification ({@link EarVerifier}): what a relying party
 * accepts and refuses.
 */
class EarVerifierTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final byte[] NONCE = "nonce-0123456789".getBytes(StandardCharsets.US_ASCII);

  private final ServiceKey serviceKey = ServiceKey.generate();
  private final ECKey teeKey = generateEc();
  private final EarSigner signer = new EarSigner(serviceKey, clockAt(NOW), LIFETIME, "test-build");

  private static ECKey generateEc() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Clock clockAt(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  private static Map<String, Submodule> submods(EarStatus status, int tier) {
    return Map.of(
        "shop",
        new Submodule(
            status,
            new TrustVector(tier, tier, tier, 0, tier, 0, 0, 0),
            List.of("arbiter:shop#1"),
            Map.of("arbiter.workload", "shop")));
  }

  private EarVerifier verifierAt(Instant instant) {
    return new EarVerifier(new JWKSet(serviceKey.publicJwk()), clockAt(instant));
  }

  private String affirming() {
    return signer.sign(submods(EarStatus.AFFIRMING, 2), NONCE, teeKey.toPublicJWK());
  }

  private static ProblemType problemOf(Throwable thrown) {
    return ((ProblemException) thrown).problem().type();
  }

  private static void assertRefused(EarVerifier verifier, String token, TokenProblem expected) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(ProblemException.class)
        .extracting(EarVerifierTest::problemOf)
        .isEqualTo(expected);
  }

  private String signWithServiceKey(JWSHeader header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(serviceKey.joseSigner());
    return jwt.serialize();
  }

  @Test
  void sign_thenVerify_roundTripsStatusSubmodsNonceAndCnf() throws Exception {
    VerifiedEar ear = verifierAt(NOW).verify(affirming());

    assertThat(ear.profile()).isEqualTo(EarSigner.PROFILE);
    assertThat(ear.status()).isEqualTo(EarStatus.AFFIRMING);
    assertThat(ear.keyId()).isEqualTo(serviceKey.keyId());
    assertThat(ear.issuedAt()).isEqualTo(NOW);
    assertThat(ear.expiresAt()).contains(NOW.plus(LIFETIME));
    assertThat(ear.nonce()).contains(Base64.getUrlEncoder().withoutPadding().encodeToString(NONCE));
    assertThat(ear.verifierId()).containsEntry("build", "test-build");
    assertThat(ear.submods()).containsOnlyKeys("shop");
    VerifiedEar.Appraisal shop = ear.submods().get("shop");
    assertThat(shop.status()).isEqualTo(EarStatus.AFFIRMING);
    assertThat(shop.policyIds()).containsExactly("arbiter:shop#1");
    assertThat(shop.vector())
        .containsEntry("instance-identity", 2)
        .containsEntry("hardware", 2)
        .doesNotContainKey("file-system");
    assertThat(shop.claims()).containsEntry("arbiter.workload", "shop");
    assertThat(ear.cnf())
        .hasValueSatisfying(cnf -> {
          assertThat(cnf.isPrivate()).isFalse();
          assertThat(cnf.toJSONObject()).isEqualTo(teeKey.toPublicJWK().toJSONObject());
        });
  }

  @Test
  void sign_headerNamesServiceKeyAndEatType() throws Exception {
    SignedJWT jwt = SignedJWT.parse(affirming());

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(serviceKey.keyId());
    assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("eat+jwt"));
    assertThat(jwt.getHeader().getJWK()).isNull();
  }

  @Test
  void verify_sameClaimsSignedAsAWebhook_refused() throws Exception {
    // the service key also signs webhooks: their typ keeps them from ever passing as an EAR
    JWTClaimsSet claims = SignedJWT.parse(affirming()).getJWTClaimsSet();
    for (String typ : List.of("arbiter-webhook+jwt", "arbiter-pop+jwt")) {
      String token =
          signWithServiceKey(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .type(new JOSEObjectType(typ))
                  .keyID(serviceKey.keyId())
                  .build(),
              claims);
      assertRefused(verifierAt(NOW), token, TokenProblem.TOKEN_MALFORMED);
    }
  }

  @Test
  void sign_worstSubmoduleDecidesOverallStatus() {
    Map<String, Submodule> mixed =
        Map.of(
            "cpu",
            submods(EarStatus.AFFIRMING, 2).get("shop"),
            "gpu",
            new Submodule(
                EarStatus.CONTRAINDICATED,
                new TrustVector(2, 96, 2, 0, 2, 0, 0, 0),
                List.of(),
                Map.of()));

    VerifiedEar ear = verifierAt(NOW).verify(signer.sign(mixed, NONCE, teeKey.toPublicJWK()));

    assertThat(ear.status()).isEqualTo(EarStatus.CONTRAINDICATED);
    assertThat(ear.submods().get("gpu").status()).isEqualTo(EarStatus.CONTRAINDICATED);
  }

  @Test
  void sign_privateCnfKeyOrNoSubmodule_refused() {
    assertThatThrownBy(() -> signer.sign(submods(EarStatus.AFFIRMING, 2), NONCE, teeKey))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign(Map.of(), NONCE, teeKey.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_withinSkewAfterExp_accepted_pastSkew_expired() {
    String token = affirming();
    Instant exp = NOW.plus(LIFETIME);

    assertThat(verifierAt(exp.plusSeconds(29)).verify(token).status())
        .isEqualTo(EarStatus.AFFIRMING);
    assertRefused(verifierAt(exp.plusSeconds(31)), token, TokenProblem.TOKEN_EXPIRED);
  }

  @Test
  void verify_issuedInTheFuture_refused() {
    assertRefused(verifierAt(NOW.minusSeconds(60)), affirming(), TokenProblem.TOKEN_EXPIRED);
  }

  @Test
  void verify_keyNotTrusted_refusedUnknownKey() {
    EarVerifier other =
        new EarVerifier(new JWKSet(ServiceKey.generate().publicJwk()), clockAt(NOW));

    assertRefused(other, affirming(), TokenProblem.TOKEN_KEY_UNKNOWN);
  }

  @Test
  void verify_otherKeyUnderTheSameKid_refusedSignature() {
    ECKey impostor =
        new ECKey.Builder(ServiceKey.generate().publicJwk()).keyID(serviceKey.keyId()).build();
    EarVerifier verifier = new EarVerifier(new JWKSet(impostor), clockAt(NOW));

    assertRefused(verifier, affirming(), TokenProblem.TOKEN_SIGNATURE_INVALID);
  }

  @Test
  void verify_tamperedPayload_refusedSignature() throws Exception {
    String[] parts =
        signer
            .sign(submods(EarStatus.CONTRAINDICATED, 96), NONCE, teeKey.toPublicJWK())
            .split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String affirmed = claims.replace("\"contraindicated\"", "\"affirming\"");
    assertThat(affirmed).isNotEqualTo(claims);
    String tampered =
        parts[0]
            + "."
            + Base64URL.encode(affirmed.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertRefused(verifierAt(NOW), tampered, TokenProblem.TOKEN_SIGNATURE_INVALID);
  }

  @Test
  void verify_algNone_refused() throws Exception {
    String[] parts = affirming().split("\\.");
    String header =
        Base64URL.encode("{\"alg\":\"none\",\"typ\":\"eat+jwt\"}".getBytes(StandardCharsets.UTF_8))
            .toString();

    assertThatThrownBy(() -> verifierAt(NOW).verify(header + "." + parts[1] + "."))
        .isInstanceOf(ProblemException.class)
        .extracting(EarVerifierTest::problemOf)
        .isIn(TokenProblem.TOKEN_MALFORMED, TokenProblem.TOKEN_ALGORITHM_REFUSED);
  }

  @Test
  void verify_hs256WithThePublicKeyAsSecret_refusedAlgorithm() throws Exception {
    // the classic confusion: an HMAC "signed" with bytes the attacker knows (the service key's
    // public JWK)
    byte[] secret = serviceKey.publicJwk().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT original = SignedJWT.parse(affirming());
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(serviceKey.keyId()).build(),
            original.getJWTClaimsSet());
    forged.sign(new MACSigner(secret));

    assertRefused(verifierAt(NOW), forged.serialize(), TokenProblem.TOKEN_ALGORITHM_REFUSED);
  }

  @Test
  void verify_keyEmbeddedInHeader_neverTrusted() throws Exception {
    ECKey attacker = generateEc().toECKey();
    ECKey attackerWithKid = new ECKey.Builder(attacker).keyID("attacker").build();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID("attacker")
                .jwk(attackerWithKid.toPublicJWK())
                .build(),
            SignedJWT.parse(affirming()).getJWTClaimsSet());
    forged.sign(new ECDSASigner(attacker));

    assertRefused(verifierAt(NOW), forged.serialize(), TokenProblem.TOKEN_KEY_UNKNOWN);
  }

  @Test
  void verify_unknownProfileOrMissingSubmods_refused() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(serviceKey.keyId()).build();
    JWTClaimsSet base = SignedJWT.parse(affirming()).getJWTClaimsSet();

    String otherProfile =
        signWithServiceKey(
            header,
            new JWTClaimsSet.Builder(base)
                .claim("eat_profile", "tag:example.com,2026:other")
                .build());
    String noSubmods =
        signWithServiceKey(header, new JWTClaimsSet.Builder(base).claim("submods", null).build());

    assertRefused(verifierAt(NOW), otherProfile, TokenProblem.TOKEN_PROFILE_UNKNOWN);
    assertRefused(verifierAt(NOW), noSubmods, TokenProblem.TOKEN_CLAIMS_INVALID);
  }

  @Test
  void verify_privateKeyInCnf_refused() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(serviceKey.keyId()).build();
    JWTClaimsSet base = SignedJWT.parse(affirming()).getJWTClaimsSet();
    String token =
        signWithServiceKey(
            header,
            new JWTClaimsSet.Builder(base)
                .claim("cnf", Map.of("jwk", teeKey.toJSONObject()))
                .build());

    assertRefused(verifierAt(NOW), token, TokenProblem.TOKEN_CLAIMS_INVALID);
  }

  @Test
  void verify_notThreeSegments_refusedMalformed() {
    assertRefused(verifierAt(NOW), "a.b", TokenProblem.TOKEN_MALFORMED);
    assertRefused(verifierAt(NOW), affirming() + ".extra", TokenProblem.TOKEN_MALFORMED);
    assertThat(verifierAt(NOW).verify("  " + affirming() + "\n").status())
        .isEqualTo(EarStatus.AFFIRMING);
  }
}
