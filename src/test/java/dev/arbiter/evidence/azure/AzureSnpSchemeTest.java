// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static dev.arbiter.evidence.azure.AzureConformanceTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.sevsnp.Product;
import dev.arbiter.evidence.sevsnp.SnpFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code azure-snp-vtpm} over generated evidence: the valid case and one {@code bad-<what>} per
 * rule.
 */
class AzureSnpSchemeTest {
  static final VerificationContext AT = VerificationContext.at(SnpFixtures.NOW);
  static final AzureSnpScheme SCHEME = new AzureSnpScheme(SnpFixtures.pki(Product.MILAN).scheme());
  static final ExpectedBinding NONCE = ExpectedBinding.exactly(AzureFixtures.NONCE);

  private static VerificationResult verify(AzureFixtures.Spec spec) {
    return SCHEME.verify(AzureFixtures.build(spec).input(), NONCE, AT);
  }

  @Test
  void verify_generatedEvidence_isValidWithComposedClaims() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    VerificationResult result = SCHEME.verify(built.input(), NONCE, AT);

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("measurement")).contains(AzureFixtures.hex(AzureFixtures.MEASUREMENT));
    String runtimeHash =
        AzureFixtures.hex(
            Digests.sha256(AzureFixtures.spec().runtimeJson.getBytes(StandardCharsets.UTF_8)));
    assertThat(claims.get("report_data")).contains(runtimeHash + "00".repeat(32));
    assertThat(claims.get("hcl.runtime_data_hash")).contains(runtimeHash);
    assertThat(claims.get("pcr7")).contains("08".repeat(32));
    assertThat(claims.get("extra_data")).contains(AzureFixtures.hex(AzureFixtures.NONCE));
    assertThat(claims.get("ak_pub")).contains(thumbprint(AzureFixtures.AK));
    assertThat(claims.get("vm_configuration.secure_boot")).contains(true);
    assertThat(claims.get("user_data")).contains("00".repeat(64));
    assertThat(claims.get("revocation")).contains("unchecked");
    assertThat(claims.get("tpm.clock")).contains(123_456_789L);
    assertThat(SCHEME.descriptor().claimNames()).containsAll(claims.flatten().keySet());
    assertThat(SCHEME.descriptor().claimNames())
        .contains("measurement", "host_data", "reported_tcb.snp", "pcr0", "pcr23");
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(),
                claims,
                java.util.Set.of("user_data", "extra_data", "tpm.qualified_signer")))
        .contains(
            "measurement",
            "report_data",
            "chip_id",
            "pcr7",
            "ak_pub",
            "hcl.runtime_data_hash",
            "tpm.pcr_digest",
            "tpm.firmware_version");
  }

  @Test
  void verify_sha384RuntimeHash_isValid() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hashType = 2;
    VerificationResult result = verify(spec);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("hcl.hash_type")).contains("sha384");
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(),
                result.claims(),
                java.util.Set.of("user_data", "extra_data", "tpm.qualified_signer")))
        .contains("hcl.runtime_data_hash");
    assertThat(result.claims().get("hcl.runtime_data_hash").orElseThrow().toString()).hasSize(96);
  }

  @Test
  void verify_badRuntimeDataHash_isKeyBindingInvalid() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.badRuntimeHash = true;
    assertThat(types(verify(spec).problems())).containsExactly("key-binding-invalid");
  }

  @Test
  void verify_badAkSignature_isSignatureInvalid() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.quoteSigner = AzureFixtures.OTHER_AK;
    VerificationResult result = verify(spec);
    assertThat(types(result.problems())).containsExactly("signature-invalid");
    assertThat(result.problems().get(0).detail()).startsWith("vTPM quote:");
  }

  @Test
  void verify_badPcrValue_isMeasurementMismatchWithoutPcrClaims() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.badPcrValue = true;
    VerificationResult result = verify(spec);
    assertThat(types(result.problems())).containsExactly("measurement-mismatch");
    assertThat(result.claims().get("pcr0")).isEmpty();
  }

  @Test
  void verify_badExtraData_isReportDataMismatch() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.extraData = "replayed".getBytes(StandardCharsets.US_ASCII);
    assertThat(types(verify(spec).problems())).containsExactly("report-data-mismatch");
  }

  @Test
  void verify_noExpectedBinding_skipsOnlyTheNonceCheck() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.extraData = "anything".getBytes(StandardCharsets.US_ASCII);
    assertThat(
            SCHEME.verify(AzureFixtures.build(spec).input(), ExpectedBinding.none(), AT).problems())
        .isEmpty();
  }

  @Test
  void verify_badSnpSignature_isSignatureInvalid() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.badSnpSignature = true;
    VerificationResult result = verify(spec);
    assertThat(types(result.problems())).containsExactly("signature-invalid");
    assertThat(result.problems().get(0).detail()).startsWith("SNP report:");
  }

  @Test
  void verify_badHclHeaderMagic_isEvidenceMalformed() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hcl = hcl -> hcl.magic("HCLB");
    assertThat(types(verify(spec).problems())).containsExactly("evidence-malformed");
  }

  @Test
  void verify_badHclHeaderVersion_isUnsupportedVersion() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hcl = hcl -> hcl.version(7);
    assertThat(types(verify(spec).problems())).containsExactly("unsupported-version");
  }

  @Test
  void verify_badHclReportSize_isEvidenceMalformed() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hcl = hcl -> hcl.reportSizeDelta(1);
    assertThat(types(verify(spec).problems())).containsExactly("evidence-malformed");
  }

  @Test
  void verify_badHclPadding_isEvidenceMalformed() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hcl = hcl -> hcl.padding(16, 0xee);
    assertThat(types(verify(spec).problems())).containsExactly("evidence-malformed");
  }

  @Test
  void verify_badHashType_isUnsupportedVersion() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hcl = hcl -> hcl.hashType(9);
    assertThat(types(verify(spec).problems())).containsExactly("unsupported-version");
  }

  @Test
  void verify_tdxHclReportUnderSnpScheme_isUnsupportedVersion() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.hcl = hcl -> hcl.reportType(4);
    VerificationResult result = verify(spec);
    assertThat(types(result.problems())).containsExactly("unsupported-version");
    assertThat(result.problems().get(0).detail()).contains("azure-tdx-vtpm");
  }

  @Test
  void verify_runtimeDataWithoutAk_isKeyMalformed() {
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.runtimeJson = spec.runtimeJson.replace("HCLAkPub", "SomeKey");
    assertThat(types(verify(spec).problems())).containsExactly("key-malformed");
  }

  @Test
  void verify_untrustedAmdRoot_isCertificateChainInvalid() {
    AzureSnpScheme other = new AzureSnpScheme(SnpFixtures.newPki(Product.MILAN).scheme());
    VerificationResult result =
        other.verify(AzureFixtures.build(AzureFixtures.spec()).input(), NONCE, AT);
    assertThat(types(result.problems())).containsExactly("certificate-chain-invalid");
  }

  static String thumbprint(java.security.KeyPair pair) {
    try {
      return AzureFixtures.hex(
          new com.nimbusds.jose.jwk.RSAKey.Builder(
                  (java.security.interfaces.RSAPublicKey) pair.getPublic())
              .build()
              .computeThumbprint()
              .decode());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
