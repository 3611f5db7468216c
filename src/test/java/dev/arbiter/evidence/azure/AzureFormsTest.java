// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static dev.arbiter.evidence.azure.AzureConformanceTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every form Trustee's attestation-agent has emitted for Azure vTPM evidence, SNP and TDX, each
 * with its binding rule (README.md, "Forms"): v0 (unversioned, integer arrays), the SNP agent's
 * byte-array form ({@code quote}/{@code report} arrays and a PEM {@code vcek}), v1, and v2 (v1's
 * members; the HCL user data must be the quote's extraData).
 */
class AzureFormsTest {
  private static final ExpectedBinding NONCE = AzureSnpSchemeTest.NONCE;

  private static VerificationResult snp(byte[] evidence) {
    return AzureSnpSchemeTest.SCHEME.verify(
        EvidenceInput.of(evidence), NONCE, AzureSnpSchemeTest.AT);
  }

  private static VerificationResult tdx(byte[] evidence) {
    return AzureTdxSchemeTest.SCHEME.verify(
        EvidenceInput.of(evidence), AzureTdxSchemeTest.NONCE, AzureTdxSchemeTest.AT);
  }

  /** Evidence whose runtime data carries {@code userData} (the v2 attester's NV write). */
  private static AzureFixtures.Built withUserData(boolean tdx, byte[] userData) {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    if (tdx) {
      spec.tdx();
    }
    spec.runtimeJson =
        AzureFixtures.runtimeJson(
            AzureFixtures.AK, "26F8BC30-774E-4290-8E7A-535F3B672AEE", userData);
    return AzureFixtures.build(spec);
  }

  private static byte[] nonceFilled() {
    return Arrays.copyOf(AzureFixtures.NONCE, 64);
  }

  @Test
  void snp_v0_v1_byteArray_verify_andNameTheirForm() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());

    for (var form :
        new Object[][] {
          {built.v0Json(), "trustee-v0"},
          {built.evidenceJson(1), "trustee-v1"},
          {built.byteArrayJson(), "byte-array"}
        }) {
      VerificationResult result = snp((byte[]) form[0]);
      assertThat(result.problems()).as((String) form[1]).isEmpty();
      assertThat(result.claims().get("evidence_form")).contains(form[1]);
      assertThat(result.claims().get("extra_data"))
          .contains(AzureFixtures.hex(AzureFixtures.NONCE));
      assertThat(result.claims().get("hcl.padding_bytes")).contains(254L);
    }
  }

  @Test
  void snp_v2_userDataIsTheExtraDataZeroFilled_verifiesAndCountsTheFill() {
    VerificationResult result = snp(withUserData(false, nonceFilled()).evidenceJson(2));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("evidence_form")).contains("trustee-v2");
    assertThat(result.claims().get("user_data_padding")).contains(55L);
  }

  @Test
  void snp_v2_with64ByteReportData_equalUserData_hasNoFill() {
    byte[] reportData = dev.arbiter.evidence.dcap.DcapFixtures.filled(64, 0x3c);
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.extraData = reportData;
    spec.runtimeJson =
        AzureFixtures.runtimeJson(
            AzureFixtures.AK, "26F8BC30-774E-4290-8E7A-535F3B672AEE", reportData);
    VerificationResult result =
        AzureSnpSchemeTest.SCHEME.verify(
            EvidenceInput.of(AzureFixtures.build(spec).evidenceJson(2)),
            ExpectedBinding.exactly(reportData),
            AzureSnpSchemeTest.AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("user_data_padding")).isEmpty();
  }

  @Test
  void snp_v2_userDataNotTheExtraData_isReportDataMismatch_whileV1OfTheSameIsValid() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec()); // user data all zero

    assertThat(types(snp(built.evidenceJson(2)).problems()))
        .containsExactly("report-data-mismatch");
    assertThat(snp(built.evidenceJson(1)).problems()).isEmpty();
  }

  @Test
  void snp_v2_nonZeroAfterTheExtraData_isReportDataMismatch() {
    byte[] userData = nonceFilled();
    userData[63] = 1;
    assertThat(types(snp(withUserData(false, userData).evidenceJson(2)).problems()))
        .containsExactly("report-data-mismatch");
  }

  @Test
  void byteArray_withDerVcekOrHexQuoteOrExtraMember_isMalformed() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    String pem = AzureFixtures.pem(built.vcekDer());
    String arrays = built.arrayQuote();
    byte[] derVcek =
        ("{\"quote\":"
                + arrays
                + ",\"report\":"
                + AzureFixtures.array(built.hcl())
                + ",\"vcek\":"
                + AzureFixtures.array(built.vcekDer())
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] hexQuote =
        AzureFixtures.byteArrayJson(built.quoteJson(), AzureFixtures.array(built.hcl()), pem);
    String extra = new String(built.byteArrayJson(), StandardCharsets.UTF_8);
    byte[] extraMember =
        (extra.substring(0, extra.length() - 1) + ",\"version\":0}")
            .getBytes(StandardCharsets.UTF_8);

    for (byte[] bad : new byte[][] {derVcek, hexQuote, extraMember}) {
      assertThat(types(snp(bad).problems())).containsExactly("evidence-malformed");
    }
  }

  @Test
  void byteArray_tamperedReportByte_isTheHardwareSchemesProblem() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.badSnpSignature = true;
    assertThat(types(snp(AzureFixtures.build(spec).byteArrayJson()).problems()))
        .containsExactly("signature-invalid");
  }

  @Test
  void unknownVersion_isUnsupported() {
    String v1 =
        new String(
            AzureFixtures.build(AzureFixtures.spec()).evidenceJson(1), StandardCharsets.UTF_8);
    assertThat(
            types(
                snp(v1.replace("\"version\":1", "\"version\":3").getBytes(StandardCharsets.UTF_8))
                    .problems()))
        .containsExactly("unsupported-version");
  }

  @Test
  void tdx_v0_v1_v2_verify_andNameTheirForm() {
    AzureFixtures.Built built = withUserData(true, nonceFilled());

    for (var form :
        new Object[][] {
          {built.v0Json(), "trustee-v0"},
          {built.evidenceJson(1), "trustee-v1"},
          {built.evidenceJson(2), "trustee-v2"}
        }) {
      VerificationResult result = tdx((byte[]) form[0]);
      assertThat(result.problems()).as((String) form[1]).isEmpty();
      assertThat(result.claims().get("evidence_form")).contains(form[1]);
    }
  }

  @Test
  void tdx_v2_userDataNotTheExtraData_isReportDataMismatch() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec().tdx());
    assertThat(types(tdx(built.evidenceJson(2)).problems()))
        .containsExactly("report-data-mismatch");
  }
}
