// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import java.time.Instant;
import java.util.List;

/**
 * Fuzzes every TPM input parser: any byte string must parse or fail with {@link TpmFormatException}
 * (a typed problem at the scheme), never an unchecked exception. The normal test run replays the
 * committed corpus in {@code TpmFuzzTestInputs/}.
 */
class TpmFuzzTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));

  @FuzzTest(maxDuration = "60s")
  void attest(byte[] input) {
    try {
      TpmsAttest.parse(input);
    } catch (TpmFormatException expected) {
      // typed rejection
    }
    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(
                EvidenceInput.of(input)
                    .withSignature(input)
                    .withPcrs(input)
                    .withKeys(List.of(input)),
                ExpectedBinding.none(),
                AT);
    assertThat(result.valid()).isFalse();
  }

  @FuzzTest(maxDuration = "60s")
  void signature(byte[] input) {
    try {
      TpmSignature.parse(input);
    } catch (TpmFormatException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "60s")
  void publicKey(byte[] input) {
    try {
      AkKeys.parse(input);
    } catch (TpmFormatException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "60s")
  void pcrs(byte[] input) {
    try {
      PcrValues.parse(input);
    } catch (TpmFormatException expected) {
      // typed rejection
    }
  }
}
