// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.sgx.SgxScheme;
import dev.arbiter.evidence.tdx.TdxScheme;

/**
 * Any bytes given as a quote yield a typed problem or a result, never an unchecked exception. The
 * normal run replays the corpus in {@code QuoteParserFuzzTestInputs/}; see DEVELOPMENT.md to fuzz.
 */
class QuoteParserFuzzTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private static final TdxScheme TDX = new TdxScheme(FIXTURES.trust());
  private static final SgxScheme SGX = new SgxScheme(FIXTURES.trust());
  private static final VerificationContext NOW = VerificationContext.at(DcapFixtures.NOW);

  @FuzzTest(maxDuration = "30s")
  void parseAndVerify_anyBytes_neverThrows(byte[] data) {
    try {
      Quote quote = QuoteParser.parse(data);
      assertThat(quote.signedBytes().length).isLessThanOrEqualTo(data.length);
    } catch (QuoteFormatException e) {
      assertThat(e.problem()).isNotNull();
    }
    for (var scheme : new dev.arbiter.evidence.EvidenceScheme[] {TDX, SGX}) {
      VerificationResult result =
          scheme.verify(EvidenceInput.of(data), ExpectedBinding.none(), NOW);
      assertThat(result.format()).isEqualTo(scheme.descriptor().id());
    }
  }
}
