// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationResult;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the SNP evidence decoder, report parser, certificate-table parser and verification: any
 * input must give a result with typed problems, never an exception. The normal test run replays the
 * committed corpus in {@code SnpReportFuzzTestInputs/}; to fuzz for real: {@code JAZZER_FUZZ=1
 * JAZZER_INSTRUMENTATION_INCLUDES='dev.arbiter.**' ./mvnw -B test -Dtest=SnpReportFuzzTest}. The
 * corpus is written by {@link SnpCorpusGenerator}.
 */
class SnpReportFuzzTest {
  private static final SnpFixtures.Pki PKI = SnpFixtures.pki(Product.MILAN);
  private static final SevSnpScheme SCHEME = PKI.scheme();
  private static final byte[] VCEK =
      SevSnpSchemeTest.der(
          SnpFixtures.vcek(PKI, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB)
              .certificate());

  /** The whole input is the evidence; the test VCEK is supplied beside it. */
  @FuzzTest(maxDuration = "30s")
  void evidence(byte[] data) {
    check(EvidenceInput.of(data).withCertificates(List.of(VCEK)));
  }

  /**
   * Two bytes (big-endian) give the evidence length; the evidence follows, then a certificate file.
   */
  @FuzzTest(maxDuration = "30s")
  void evidenceAndCertificate(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int split = Math.min(data.length - 2, (data[0] & 0xff) << 8 | (data[1] & 0xff));
    check(
        EvidenceInput.of(Arrays.copyOfRange(data, 2, 2 + split))
            .withCertificates(List.of(Arrays.copyOfRange(data, 2 + split, data.length))));
  }

  private static void check(EvidenceInput input) {
    VerificationResult result =
        new SnpVerification(
                SCHEME, input, ExpectedBinding.exactly(new byte[] {1}), SevSnpSchemeTest.AT)
            .run();
    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).allSatisfy(problem -> assertThat(problem.detail()).isNotBlank());
  }
}
