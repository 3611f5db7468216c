// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.upokecenter.cbor.CBORObject;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.cose.CoseFuzzTestAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Fuzzes the PSA token parser and scheme: any input gives a result, never an exception. */
class PsaFuzzTest {
  @FuzzTest
  void token(byte[] data) {
    var result =
        PsaScheme.withSuppliedKeys()
            .verify(
                EvidenceInput.of(data).withKeys(List.of(PsaSchemeTest.PEM)),
                ExpectedBinding.exactly(PsaSchemeTest.NONCE),
                VerificationContext.at(Instant.EPOCH));
    assertThat(result.valid() || !result.problems().isEmpty()).isTrue();
  }

  /** Regenerates the committed corpus: {@code main(<repo>/src/test/resources)}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0], "dev/arbiter/evidence/psa/PsaFuzzTestInputs/token");
    CoseFuzzTestAccess.write(
        dir, "synthetic-profile2-other-key", PsaSchemeTest.sign(PsaSchemeTest.claims2()));
    CoseFuzzTestAccess.write(
        dir, "synthetic-profile1-other-key", PsaSchemeTest.sign(PsaSchemeTest.claims1()));
    CBORObject claims = PsaSchemeTest.claims2();
    claims.Set(2395, "not a number");
    CoseFuzzTestAccess.write(dir, "synthetic-bad-lifecycle", PsaSchemeTest.sign(claims));
  }
}
