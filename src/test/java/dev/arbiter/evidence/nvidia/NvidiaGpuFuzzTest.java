// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import java.time.Instant;
import java.util.List;

/**
 * Fuzzes the GPU parsers (SPDM report, evidence JSON containers, RIM XML): any input must parse or
 * fail with {@link SpdmFormatException}, and the scheme must return typed problems, never throw.
 * The normal test run replays the committed corpus in {@code NvidiaGpuFuzzTestInputs/}.
 */
class NvidiaGpuFuzzTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private static final NvidiaGpuScheme SCHEME = NvidiaGpuScheme.withPinnedRoots();

  @FuzzTest(maxDuration = "60s")
  void report(byte[] input) {
    try {
      SpdmReport.parse(input);
    } catch (SpdmFormatException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "60s")
  void evidence(byte[] input) {
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(input).withCertificates(List.of(input)), ExpectedBinding.none(), AT);
    assertThat(result.valid()).isFalse();
  }

  @FuzzTest(maxDuration = "60s")
  void rim(byte[] input) {
    try {
      ReferenceManifest.parse(input);
    } catch (SpdmFormatException expected) {
      // typed rejection
    }
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(new byte[] {0x11})
                .withCollateral(List.of(new EvidenceInput.Collateral("rim.xml", input))),
            ExpectedBinding.none(),
            AT);
    assertThat(result.valid()).isFalse();
  }
}
