// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

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

/** Fuzzes the CCA token parser and scheme: any input gives a result, never an exception. */
class CcaFuzzTest {
  private static final CcaFixtures F = new CcaFixtures();
  private static final byte[] ANCHORS = F.trustAnchorJson(CcaFixtures.INSTANCE_ID);

  @FuzzTest
  void token(byte[] data) {
    var result =
        CcaScheme.withSuppliedKeys()
            .verify(
                EvidenceInput.of(data).withKeys(List.of(ANCHORS)),
                ExpectedBinding.exactly(CcaFixtures.CHALLENGE),
                VerificationContext.at(Instant.EPOCH));
    assertThat(result.valid() || !result.problems().isEmpty()).isTrue();
  }

  /** Regenerates the committed corpus: {@code main(<repo>/src/test/resources)}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0], "dev/arbiter/evidence/cca/CcaFuzzTestInputs/token");
    byte[] token = F.token();
    CoseFuzzTestAccess.write(dir, "synthetic-valid-other-key", token);
    CoseFuzzTestAccess.write(
        dir, "synthetic-truncated", java.util.Arrays.copyOf(token, token.length - 7));
    CBORObject realm = F.realmClaims();
    realm.Set(44237, new byte[] {(byte) 0xa1, 0x01, 0x02});
    CoseFuzzTestAccess.write(
        dir,
        "synthetic-cose-key-rak",
        CcaFixtures.collection(
            F.platformToken(F.platformClaims(F.rakBytes())), F.realmToken(realm)));
    CBORObject platform = F.platformClaims(F.rakBytes());
    platform.Set(2399, CBORObject.NewArray().Add(CBORObject.NewMap().Add(7, 1)));
    CoseFuzzTestAccess.write(
        dir,
        "synthetic-bad-component",
        CcaFixtures.collection(F.platformToken(platform), F.realmToken(F.realmClaims())));
  }
}
