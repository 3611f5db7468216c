// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Arbitrary proofs and URLs from an unauthenticated caller: the verifier either refuses with a
 * {@link Refusal} or returns a nonce, never throws anything else. The normal test run replays the
 * committed corpus.
 */
class PossessionProofFuzzTest {
  private static final ECKey KEY = generate();
  private static final PossessionProof.Target TARGET =
      new PossessionProof.Target(
          "POST",
          "/v1/resources/db",
          List.of(URI.create("https://127.0.0.1:8443"), URI.create("https://a.example/base")));

  private static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void verify_anyInput_refusesOrReturns(FuzzedDataProvider data) {
    String url = data.consumeString(128);
    String token = data.consumeString(256);
    String proof = data.consumeRemainingAsString();
    try {
      PossessionProof.verify(proof, KEY, TARGET, token, Instant.EPOCH);
    } catch (Refusal expected) {
      // the only allowed failure
    }
    PossessionProof.sameUrl(url, TARGET);
  }
}
