// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proof-of-possession checks in isolation (the end-to-end refusals are in
 * KeyBrokerReleaseTest).
 */
class PossessionProofTest {
  private static final PossessionProof.Target TARGET =
      new PossessionProof.Target(
          "POST", "/v1/resources/db", List.of(URI.create("https://127.0.0.1:8443")));
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void sameUrl_acceptsOnlyAnExternalUrlAndThePath() {
    assertThat(PossessionProof.sameUrl("https://127.0.0.1:8443/v1/resources/db", TARGET)).isTrue();
    assertThat(PossessionProof.sameUrl("HTTPS://127.0.0.1:8443/v1/resources/db", TARGET)).isTrue();
    assertThat(PossessionProof.sameUrl("http://127.0.0.1:8443/v1/resources/db", TARGET)).isFalse();
    assertThat(PossessionProof.sameUrl("https://127.0.0.1:8444/v1/resources/db", TARGET)).isFalse();
    assertThat(PossessionProof.sameUrl("https://evil.example:8443/v1/resources/db", TARGET))
        .isFalse();
    assertThat(PossessionProof.sameUrl("https://127.0.0.1:8443/v1/resources/other", TARGET))
        .isFalse();
    assertThat(PossessionProof.sameUrl("https://127.0.0.1:8443/v1/resources/db?x=1", TARGET))
        .isFalse();
    assertThat(
            PossessionProof.sameUrl(
                "https://127.0.0.1/v1/resources/db",
                new PossessionProof.Target(
                    "POST", "/v1/resources/db", List.of(URI.create("https://127.0.0.1:443")))))
        .isTrue();
    assertThat(PossessionProof.sameUrl("not a url", TARGET)).isFalse();
    assertThat(PossessionProof.sameUrl("https://u@127.0.0.1:8443/v1/resources/db", TARGET))
        .isFalse();
    assertThat(
            PossessionProof.sameUrl(
                "https://127.0.0.1:8443/v1/resources/db",
                new PossessionProof.Target("POST", "/v1/resources/db", List.of())))
        .isFalse();
  }

  @Test
  void sameUrl_severalExternalUrls_anyMatches_andABasePathPrefixesThePath() {
    PossessionProof.Target target =
        new PossessionProof.Target(
            "POST",
            "/v1/resources/db",
            List.of(
                URI.create("https://127.0.0.1:8443"),
                URI.create("https://arbiter.example.com/verifier/")));
    assertThat(PossessionProof.sameUrl("https://127.0.0.1:8443/v1/resources/db", target)).isTrue();
    assertThat(
            PossessionProof.sameUrl("https://arbiter.example.com/verifier/v1/resources/db", target))
        .isTrue();
    assertThat(PossessionProof.sameUrl("https://arbiter.example.com/v1/resources/db", target))
        .isFalse();
    assertThat(PossessionProof.sameUrl("https://evil.example/v1/resources/db", target)).isFalse();
  }

  @Test
  void verify_p384Key_usesEs384_andReturnsTheNonce() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_384).generate();
    String proof =
        PossessionProof.create(
            key, "POST", URI.create("https://127.0.0.1:8443/v1/resources/db"), "AAEC", "tok", NOW);
    assertThat(proof).startsWith("eyJ");
    assertThat(PossessionProof.verify(proof, key.toPublicJWK(), TARGET, "tok", NOW.plusSeconds(59)))
        .containsExactly(0, 1, 2);
  }

  @Test
  void verify_eachBrokenRule_namesItsCheck() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    ECKey other = new ECKeyGenerator(Curve.P_256).generate();
    URI url = URI.create("https://127.0.0.1:8443/v1/resources/db");
    String proof = PossessionProof.create(key, "POST", url, "AAEC", "tok", NOW);
    assertCheck(proof, other.toPublicJWK(), TARGET, "tok", NOW, "proof-signature");
    assertCheck(
        proof,
        key.toPublicJWK(),
        new PossessionProof.Target("PUT", TARGET.path(), TARGET.externalUrls()),
        "tok",
        NOW,
        "proof-method");
    assertCheck(
        PossessionProof.create(
            key, "POST", URI.create("https://evil.example/v1/resources/db"), "AAEC", "tok", NOW),
        key.toPublicJWK(),
        TARGET,
        "tok",
        NOW,
        "proof-url");
    assertCheck(proof, key.toPublicJWK(), TARGET, "tok", NOW.plusSeconds(61), "proof-stale");
    assertCheck(proof, key.toPublicJWK(), TARGET, "tok", NOW.minusSeconds(61), "proof-stale");
    assertCheck(proof, key.toPublicJWK(), TARGET, "another-token", NOW, "proof-token");
    assertCheck("a.b", key.toPublicJWK(), TARGET, "tok", NOW, "proof-malformed");
    ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
    assertCheck(
        PossessionProof.create(p384, "POST", url, "AAEC", "tok", NOW),
        key.toPublicJWK(),
        TARGET,
        "tok",
        NOW,
        "proof-algorithm");
  }

  private static void assertCheck(
      String proof,
      ECKey cnf,
      PossessionProof.Target target,
      String token,
      Instant now,
      String check) {
    assertThatThrownBy(() -> PossessionProof.verify(proof, cnf, target, token, now))
        .isInstanceOfSatisfying(
            Refusal.class, refusal -> assertThat(refusal.check()).isEqualTo(check));
  }
}
