// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sgx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.ByteClaimsAssert;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.CollateralBuilder;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.internal.Hex;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SgxSchemeTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private final SgxScheme scheme = new SgxScheme(FIXTURES.trust());
  private final VerificationContext now = VerificationContext.at(DcapFixtures.NOW);

  private VerificationResult verify(byte[] quote, List<EvidenceInput.Collateral> collateral) {
    return scheme.verify(
        EvidenceInput.of(quote).withCollateral(collateral), ExpectedBinding.none(), now);
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(p -> (EvidenceProblem) p.type()).toList();
  }

  @Test
  void verify_validV3_returnsEnclaveClaims() {
    byte[] reportData = DcapFixtures.filled(64, 0x24);
    byte[] quote =
        FIXTURES
            .sgxQuote()
            .reportData(reportData)
            .mrEnclave(DcapFixtures.filled(32, 0xe1))
            .mrSigner(DcapFixtures.filled(32, 0x5e))
            .build();

    VerificationResult result =
        scheme.verify(
            EvidenceInput.of(quote).withCollateral(FIXTURES.collateral(false)),
            ExpectedBinding.exactly(reportData),
            now);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().values().keySet())
        .startsWith(
            "version",
            "mr_enclave",
            "mr_signer",
            "isv_prod_id",
            "isv_svn",
            "report_data",
            "debug",
            "fmspc",
            "tcb_status",
            "advisory_ids",
            "revocation");
    assertThat(result.claims().get("version")).contains(3L);
    assertThat(result.claims().get("mr_enclave"))
        .contains(Hex.encode(DcapFixtures.filled(32, 0xe1)));
    assertThat(result.claims().get("mr_signer"))
        .contains(Hex.encode(DcapFixtures.filled(32, 0x5e)));
    assertThat(result.claims().get("isv_prod_id")).contains(0L);
    assertThat(result.claims().get("debug")).contains(false);
    assertThat(result.claims().get("fmspc")).contains("00906ed50000");
    assertThat(result.claims().get("tcb_status")).contains("UpToDate");
    assertThat(result.claims().get("revocation")).contains("checked");
    assertThat(ByteClaimsAssert.assertByteClaims(scheme.descriptor(), result.claims(), Set.of()))
        .containsExactlyInAnyOrderElementsOf(scheme.descriptor().byteClaims().keySet());
  }

  @Test
  void verify_debugEnclave_isAClaimNotAProblem() {
    byte[] quote =
        FIXTURES.sgxQuote().sgxAttributes(Hex.decode("0700000000000000e700000000000000")).build();
    VerificationResult result = verify(quote, List.of());
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("debug")).contains(true);
  }

  @Test
  void verify_sgxLevelMatching_usesPckComponentsAndPcesvn() {
    int[] above = DcapFixtures.DEFAULT_COMPONENTS.clone();
    above[2]++;
    List<CollateralBuilder.Level> levels =
        List.of(
            new CollateralBuilder.Level(
                above, DcapFixtures.DEFAULT_PCESVN, null, "UpToDate", List.of()),
            new CollateralBuilder.Level(
                DcapFixtures.DEFAULT_COMPONENTS,
                DcapFixtures.DEFAULT_PCESVN,
                null,
                "SWHardeningNeeded",
                List.of("INTEL-SA-00334", "INTEL-SA-00615")));
    VerificationResult result =
        verify(
            FIXTURES.sgxQuote().build(), FIXTURES.collateralBuilder(false).levels(levels).files());
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).contains("SWHardeningNeeded");
    assertThat(result.claims().get("advisory_ids"))
        .contains(List.of("INTEL-SA-00334", "INTEL-SA-00615"));
  }

  @Test
  void verify_badSignaturesAndBinding_areTyped() {
    assertThat(types(verify(FIXTURES.sgxQuote().badQuoteSignature().build(), List.of())))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
    assertThat(types(verify(FIXTURES.sgxQuote().badQeSignature().build(), List.of())))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
    assertThat(types(verify(FIXTURES.sgxQuote().badKeyBinding().build(), List.of())))
        .containsExactly(EvidenceProblem.KEY_BINDING_INVALID);
  }

  @Test
  void verify_badTdxQuoteForSgx_isUnsupported() {
    assertThat(types(verify(FIXTURES.tdxQuote().build(), List.of())))
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void verify_badTdxCollateralForSgxQuote_isCollateralMismatch() {
    assertThat(types(verify(FIXTURES.sgxQuote().build(), FIXTURES.collateral(true))))
        .containsOnly(EvidenceProblem.COLLATERAL_MISMATCH)
        .hasSize(2);
  }

  @Test
  void verify_dcapQvlCollateral_isAccepted() {
    VerificationResult result =
        verify(
            FIXTURES.sgxQuote().build(), List.of(FIXTURES.collateralBuilder(false).dcapQvlJson()));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).contains("UpToDate");
  }
}
