// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.crypto.CertBuilder;
import java.util.List;

/**
 * Fuzzes the provenance parsers and verifier (envelopes, bundles, JSON Lines, containers): any
 * input must give a result with typed problems, never an unchecked exception. The normal test run
 * replays the committed corpus under {@code ProvenanceFuzzTestInputs/verify/}.
 */
class ProvenanceFuzzTest {
  private static final ProvenanceOptions OPTIONS = ProvenanceOptions.defaults()
      .withKeys(List.of(new TrustedKey(null, CertBuilder.ecKeyPair("secp256r1").getPublic())));

  @FuzzTest(maxDuration = "30s")
  void verify(byte[] input) {
    List<ProvenanceResult> results = ProvenanceVerifier.verifyAll(input, OPTIONS);
    assertThat(results).isNotEmpty();
    for (ProvenanceResult result : results) {
      assertThat(result.valid()).isFalse();
      assertThat(result.problems()).isNotEmpty();
    }
  }
}
