// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Subject;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Key files: PEM, DER, JWK, npm keys.json; hint matching. */
class TrustedKeyTest {
  private static final KeyPair PAIR = CertBuilder.ecKeyPair("secp256r1");

  private static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void parse_pemDerJwkAndNpmKeys_giveTheSameKey() {
    byte[] der = PAIR.getPublic().getEncoded();
    assertThat(TrustedKey.parse(pem(der).getBytes(StandardCharsets.US_ASCII)))
        .extracting(TrustedKey::key)
        .containsExactly(PAIR.getPublic());
    assertThat(TrustedKey.parse(der)).extracting(TrustedKey::key).containsExactly(PAIR.getPublic());
    String jwk =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) PAIR.getPublic())
            .keyID("kid-1")
            .build()
            .toJSONString();
    assertThat(TrustedKey.parse(jwk.getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new TrustedKey("kid-1", PAIR.getPublic()));
    String npm =
        "{\"keys\":[{\"keyId\":\"SHA256:abc\",\"keyUsage\":\"npm:signatures\",\"publicKey\":{\"rawBytes\":\""
            + Base64.getEncoder().encodeToString(der)
            + "\",\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\"}}]}";
    assertThat(TrustedKey.parse(npm.getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new TrustedKey("SHA256:abc", PAIR.getPublic()));
  }

  @Test
  void parse_garbage_isKeyMalformed() {
    for (String input :
        new String[] {
          "",
          "hello",
          "{\"kty\":\"EC\"}",
          "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
          "[1]"
        }) {
      assertThatThrownBy(() -> TrustedKey.parse(input.getBytes(StandardCharsets.UTF_8)))
          .as(input)
          .isInstanceOfSatisfying(
              ProblemException.class,
              e ->
                  assertThat(e.problem().type())
                      .isEqualTo(ProvenanceProblem.PROVENANCE_KEY_MALFORMED));
    }
  }

  @Test
  void matchesHint_declaredIdOrFingerprintSpellings() {
    TrustedKey anonymous = new TrustedKey(null, PAIR.getPublic());
    TrustedKey named = new TrustedKey("kid-1", PAIR.getPublic());
    assertThat(anonymous.matchesHint("anything")).isTrue();
    assertThat(named.matchesHint(null)).isTrue();
    assertThat(named.matchesHint("")).isTrue();
    assertThat(named.matchesHint("kid-1")).isTrue();
    assertThat(named.matchesHint(anonymous.fingerprint())).isTrue();
    assertThat(named.matchesHint("kid-2")).isFalse();
  }

  @Test
  void artifactDigest_parseAndMatch() {
    assertThatThrownBy(() -> ArtifactDigest.parse("md5:00"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArtifactDigest.parse("sha256:abcd"))
        .isInstanceOf(IllegalArgumentException.class);
    ArtifactDigest digest = ArtifactDigest.parse("SHA256:" + "AB".repeat(32));
    assertThat(digest.matches(new Subject("a", java.util.Map.of("sha256", "ab".repeat(32)))))
        .isTrue();
    assertThat(digest.matches(new Subject("a", java.util.Map.of("sha512", "ab".repeat(64)))))
        .isFalse();
    ArtifactDigest both = ArtifactDigest.of(new byte[] {1});
    assertThat(
            both.matches(
                new Subject(
                    "a",
                    java.util.Map.of(
                        "sha256", both.values().get("sha256"), "sha512", "00".repeat(64)))))
        .isFalse();
  }
}
