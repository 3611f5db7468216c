// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.util.List;

/**
 * Fuzzes the provenance parsers and verifier (envelopes, bundles, JSON Lines, containers): any
 * input must give a consistent result (valid exactly when there is no problem), never an unchecked
 * exception. The corpus holds fully valid generated bundles ({@link FuzzCorpusGenerator}), so the
 * fuzzer starts deep in the certificate, SCT and tlog code. The normal test run replays the
 * committed corpus under {@code ProvenanceFuzzTestInputs/verify/}.
 */
class ProvenanceFuzzTest {
  private static final ProvenanceOptions OPTIONS = options();

  /** Trusts the committed test-only root that the generated corpus bundles verify under. */
  private static ProvenanceOptions options() {
    try (var in = ProvenanceFuzzTest.class.getResourceAsStream("fuzz-trusted-root.json")) {
      return ProvenanceOptions.defaults()
          .withTrustedRoot(TrustedRoot.parse(in.readAllBytes()))
          .withKeys(List.of(new TrustedKey(null, CertBuilder.ecKeyPair("secp256r1").getPublic())))
          .withInsecureIgnoreIdentity();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void verify(byte[] input) {
    List<ProvenanceResult> results = ProvenanceVerifier.verifyAll(input, OPTIONS);
    assertThat(results).isNotEmpty();
    for (ProvenanceResult result : results) {
      assertThat(result.valid()).isEqualTo(result.problems().isEmpty());
      if (result.valid()) {
        assertThat(result.signer()).isNotNull();
        assertThat(result.subjects()).isNotEmpty();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void generatedCorpusBundles_areValid() throws java.io.IOException {
    for (String name :
        new String[] {
          "generated-bundle-v02.json",
          "generated-bundle-v03.json",
          "generated-bundle-message-v01.json"
        }) {
      try (var in =
          ProvenanceFuzzTest.class.getResourceAsStream("ProvenanceFuzzTestInputs/verify/" + name)) {
        assertThat(ProvenanceVerifier.verify(in.readAllBytes(), OPTIONS).problems())
            .as(name)
            .isEmpty();
      }
    }
  }
}
