// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import java.io.IOException;
import java.nio.file.Path;

/** Fuzzes the Nitro document parser and scheme: any input gives a result, never an exception. */
class NitroFuzzTest {
  private static final NitroFixtures F = new NitroFixtures();
  private static final NitroScheme SCHEME = F.scheme();

  @FuzzTest
  void document(byte[] data) {
    var result =
        SCHEME.verify(
            EvidenceInput.of(data),
            ExpectedBinding.exactly(NitroFixtures.NONCE),
            VerificationContext.at(NitroFixtures.T));
    assertThat(result.valid() || !result.problems().isEmpty()).isTrue();
  }

  /** Regenerates the committed corpus: {@code main(<repo>/src/test/resources)}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0], "dev/arbiter/evidence/nitro/NitroFuzzTestInputs/document");
    var payload = F.payload();
    payload.Set("user_data", new byte[4]);
    payload.Set("public_key", com.upokecenter.cbor.CBORObject.Null);
    byte[] document = F.sign(payload);
    dev.arbiter.evidence.cose.CoseFuzzTestAccess.write(dir, "synthetic-valid", document);
    dev.arbiter.evidence.cose.CoseFuzzTestAccess.write(
        dir, "synthetic-truncated", java.util.Arrays.copyOf(document, document.length / 2));
    payload.get("pcrs").Set(40, new byte[48]);
    dev.arbiter.evidence.cose.CoseFuzzTestAccess.write(
        dir, "synthetic-bad-pcr-index", F.sign(payload));
    payload.Set("cabundle", "not a list");
    dev.arbiter.evidence.cose.CoseFuzzTestAccess.write(
        dir, "synthetic-bad-cabundle", F.sign(payload));
  }
}
