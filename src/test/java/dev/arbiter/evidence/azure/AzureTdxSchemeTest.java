// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static dev.arbiter.evidence.azure.AzureConformanceTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.tdx.TdxScheme;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code azure-tdx-vtpm} over generated evidence only (no public Azure TDX vector exists): a TD
 * quote from the test Intel PKI, a TDREPORT with the same fields in a synthetic HCL report, and a
 * vTPM quote by the test HCLAkPub.
 */
class AzureTdxSchemeTest {
  static final VerificationContext AT = VerificationContext.at(DcapFixtures.NOW);
  static final AzureTdxScheme SCHEME =
      new AzureTdxScheme(new TdxScheme(AzureFixtures.DCAP.trust()));
  static final ExpectedBinding NONCE = ExpectedBinding.exactly(AzureFixtures.NONCE);

  private static VerificationResult verify(AzureFixtures.Spec spec) {
    return SCHEME.verify(AzureFixtures.build(spec).input(), NONCE, AT);
  }

  @Test
  void verify_generatedEvidence_isValidWithTdxAndTpmClaims() {
    VerificationResult result = verify(AzureFixtures.spec().tdx());

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("mr_td")).contains("11".repeat(48));
    assertThat(claims.get("rtmr0")).contains("a0".repeat(48));
    assertThat(claims.get("tcb_status")).contains("unknown");
    assertThat(claims.get("pcr23")).contains("18".repeat(32));
    assertThat(claims.get("extra_data")).contains(AzureFixtures.hex(AzureFixtures.NONCE));
    assertThat(claims.get("hcl.report_type")).contains("tdx");
    assertThat(SCHEME.descriptor().claimNames()).containsAll(claims.flatten().keySet());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(),
                claims,
                java.util.Set.of("user_data", "extra_data", "tpm.qualified_signer")))
        .contains("mr_td", "rtmr0", "report_data", "pcr23", "ak_pub", "hcl.runtime_data_hash");
  }

  @Test
  void verify_splitFormWithTdQuoteAsCollateral_isValid() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec().tdx());
    EvidenceInput input =
        EvidenceInput.of(built.hcl())
            .withSignature(built.quoteJson().getBytes(StandardCharsets.UTF_8))
            .withCollateral(List.of(new EvidenceInput.Collateral("td-quote.bin", built.tdQuote())));

    assertThat(SCHEME.verify(input, NONCE, AT).problems()).isEmpty();
  }

  @Test
  void verify_withCollateral_reportsTcbStatus() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec().tdx());
    VerificationResult result =
        SCHEME.verify(built.input().withCollateral(AzureFixtures.DCAP.collateral(true)), NONCE, AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).isNotEqualTo(java.util.Optional.of("unknown"));
    assertThat(result.claims().get("revocation")).contains("checked");
  }

  @Test
  void verify_badRuntimeDataHash_isKeyBindingInvalid() {
    AzureFixtures.Spec spec = AzureFixtures.spec().tdx();
    spec.badRuntimeHash = true;
    assertThat(types(verify(spec).problems())).containsExactly("key-binding-invalid");
  }

  @Test
  void verify_badTdQuoteSignature_isSignatureInvalid() {
    AzureFixtures.Spec spec = AzureFixtures.spec().tdx();
    spec.badTdQuoteSignature = true;
    VerificationResult result = verify(spec);
    assertThat(types(result.problems())).containsExactly("signature-invalid");
    assertThat(result.problems().get(0).detail()).startsWith("TD quote:");
  }

  @Test
  void verify_tdReportWithOtherMrTd_isMeasurementMismatch() {
    AzureFixtures.Spec spec = AzureFixtures.spec().tdx();
    spec.tdReport =
        report -> {
          report[528] ^= 1; // TDINFO.mrtd
          return report;
        };
    VerificationResult result = verify(spec);
    assertThat(types(result.problems())).containsExactly("measurement-mismatch");
    assertThat(result.problems().get(0).detail()).contains("mr_td");
  }

  @Test
  void verify_tdReportWithOtherReportData_isKeyBindingInvalid() {
    AzureFixtures.Spec spec = AzureFixtures.spec().tdx();
    spec.tdReport =
        report -> {
          report[128 + 40] ^= 1; // REPORTMACSTRUCT.reportdata
          return report;
        };
    assertThat(types(verify(spec).problems())).containsExactly("key-binding-invalid");
  }

  @Test
  void verify_tdReportOfOtherType_isEvidenceMalformed() {
    AzureFixtures.Spec spec = AzureFixtures.spec().tdx();
    spec.tdReport =
        report -> {
          report[0] = 0;
          return report;
        };
    assertThat(types(verify(spec).problems())).contains("evidence-malformed");
  }

  @Test
  void verify_missingTdQuote_isEvidenceMalformed() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec().tdx());
    EvidenceInput input =
        EvidenceInput.of(built.hcl())
            .withSignature(built.quoteJson().getBytes(StandardCharsets.UTF_8));
    assertThat(types(SCHEME.verify(input, NONCE, AT).problems()))
        .containsExactly("evidence-malformed");
  }

  @Test
  void verify_badAkSignatureAndExtraData_listsBoth() {
    AzureFixtures.Spec spec = AzureFixtures.spec().tdx();
    spec.quoteSigner = AzureFixtures.OTHER_AK;
    spec.extraData = new byte[32];
    assertThat(types(verify(spec).problems()))
        .containsExactlyInAnyOrder("signature-invalid", "report-data-mismatch");
  }

  @Test
  void verify_snpHclReportUnderTdxScheme_isUnsupportedVersion() {
    assertThat(
            types(
                SCHEME
                    .verify(AzureFixtures.build(AzureFixtures.spec()).input(), NONCE, AT)
                    .problems()))
        .containsExactly("unsupported-version");
  }

  @Test
  void verify_untrustedIntelRoot_isCertificateChainInvalid() {
    AzureTdxScheme other = new AzureTdxScheme(new TdxScheme(DcapFixtures.create().trust()));
    VerificationResult result =
        other.verify(AzureFixtures.build(AzureFixtures.spec().tdx()).input(), NONCE, AT);
    assertThat(types(result.problems())).containsExactly("certificate-chain-invalid");
  }
}
