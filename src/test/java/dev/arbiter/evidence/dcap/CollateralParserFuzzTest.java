// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tdx.TdxScheme;
import java.util.List;

/**
 * Any bytes given as collateral (JSON, PEM, DER, garbage) yield a typed problem or are ignored,
 * never an unchecked exception; a valid quote verified with them still gets a result. The normal
 * run replays the corpus in {@code CollateralParserFuzzTestInputs/}.
 */
class CollateralParserFuzzTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private static final byte[] QUOTE = FIXTURES.tdxQuote().build();
  private static final TdxScheme TDX = new TdxScheme(FIXTURES.trust());
  private static final VerificationContext NOW = VerificationContext.at(DcapFixtures.NOW);

  @FuzzTest(maxDuration = "30s")
  void parse_anyBytes_neverThrows(byte[] data) {
    ParsedCollateral parsed = CollateralParser.parse("fuzz", data);
    assertThat(parsed.problems()).allMatch(problem -> problem.type() != null);
    List<EvidenceInput.Collateral> files = List.of(new EvidenceInput.Collateral("fuzz", data));
    VerificationResult result =
        TDX.verify(EvidenceInput.of(QUOTE).withCollateral(files), ExpectedBinding.none(), NOW);
    assertThat(result.claims().get("mr_td")).isPresent();
  }
}
