// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.AT;
import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.input;
import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One {@code bad-<what>} case per rule, each failing with its specific problem type. */
class SevSnpRejectionTest {
  private final SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
  private final byte[] chipId = SnpFixtures.chipId(Product.MILAN, 3);
  private final SnpFixtures.KeyCert vcek = SnpFixtures.vcek(pki, chipId, SnpFixtures.TCB);

  private SnpReportBuilder report() {
    return SnpFixtures.report(Product.MILAN).chipId(chipId);
  }

  private VerificationResult verify(byte[] report) {
    return pki.scheme().verify(input(report, vcek.certificate()), ExpectedBinding.none(), AT);
  }

  @Test
  void badSignature_tamperedMeasurement_isSignatureInvalid() {
    byte[] report = report().signedBy(vcek.key().getPrivate());
    report[0x90] ^= 1;
    assertThat(types(verify(report))).containsExactly("SIGNATURE_INVALID");
  }

  @Test
  void badSignature_nonZeroPadding_isSignatureInvalid() {
    byte[] report = report().signedBy(vcek.key().getPrivate());
    report[AttestationReport.SIGNATURE_OFFSET + 60] = 1;
    assertThat(types(verify(report))).containsExactly("SIGNATURE_INVALID");
  }

  @Test
  void badSignature_signedByAnotherKey_isSignatureInvalid() {
    byte[] report = report().signedBy(CertBuilder.ecKeyPair("secp384r1").getPrivate());
    assertThat(types(verify(report))).containsExactly("SIGNATURE_INVALID");
  }

  @Test
  void badSigningKey_none_isSignatureInvalid() {
    byte[] report = report().signingKeyField(7).signedBy(vcek.key().getPrivate());
    assertThat(types(verify(report))).containsExactly("SIGNATURE_INVALID");
  }

  @Test
  void badChain_vcekFromAnImpostorAskWithTheSameName_isChainInvalid() {
    SnpFixtures.Pki impostor = SnpFixtures.newPki(Product.MILAN);
    SnpFixtures.KeyCert forged = SnpFixtures.vcek(impostor, chipId, SnpFixtures.TCB);
    byte[] report = report().signedBy(forged.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, forged.certificate()), ExpectedBinding.none(), AT);
    assertThat(types(result)).containsExactly("CERTIFICATE_CHAIN_INVALID");
  }

  @Test
  void badChain_vcekOfAnotherProduct_isChainInvalid() {
    SnpFixtures.Pki genoa = SnpFixtures.pki(Product.GENOA);
    SnpFixtures.KeyCert other = SnpFixtures.vcek(genoa, chipId, SnpFixtures.TCB);
    byte[] report = report().signedBy(other.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, other.certificate()), ExpectedBinding.none(), AT);
    assertThat(types(result)).containsExactly("CERTIFICATE_CHAIN_INVALID");
  }

  @Test
  void badExpired_vcekOutsideValidity_isCertificateExpired() {
    SnpFixtures.KeyCert old =
        SnpFixtures.keyCert(
            pki,
            SigningKey.VCEK,
            chipId,
            SnpFixtures.TCB,
            Instant.parse("2024-01-01T00:00:00Z"),
            Instant.parse("2025-01-01T00:00:00Z"));
    byte[] report = report().signedBy(old.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, old.certificate()), ExpectedBinding.none(), AT);
    assertThat(types(result)).containsExactly("CERTIFICATE_EXPIRED");
  }

  @Test
  void badTcb_reportedTcbDiffersFromVcek_isTcbMismatch() {
    byte[] report =
        report().reportedTcb(new TcbVersion(4, 0, 23, 219, -1)).signedBy(vcek.key().getPrivate());
    VerificationResult result = verify(report);
    assertThat(types(result)).containsExactly("TCB_MISMATCH");
    assertThat(result.problems().get(0).detail()).contains("snp=23").contains("snp=24");
  }

  @Test
  void badChipId_reportFromAnotherChip_isChipIdMismatch() {
    byte[] report =
        report().chipId(SnpFixtures.chipId(Product.MILAN, 4)).signedBy(vcek.key().getPrivate());
    assertThat(types(verify(report))).containsExactly("CHIP_ID_MISMATCH");
  }

  @Test
  void badChipId_turinEightByteHwId_isChecked() {
    SnpFixtures.Pki turin = SnpFixtures.pki(Product.TURIN);
    SnpFixtures.KeyCert turinVcek =
        SnpFixtures.vcek(turin, SnpFixtures.chipId(Product.TURIN, 1), SnpFixtures.TURIN_TCB);
    byte[] report =
        SnpFixtures.report(Product.TURIN)
            .chipId(SnpFixtures.chipId(Product.TURIN, 2))
            .signedBy(turinVcek.key().getPrivate());
    VerificationResult result =
        turin.scheme().verify(input(report, turinVcek.certificate()), ExpectedBinding.none(), AT);
    assertThat(types(result)).containsExactly("CHIP_ID_MISMATCH");
  }

  @Test
  void badReportData_otherNonce_isReportDataMismatch() {
    byte[] report =
        report()
            .reportData("nonce-1".getBytes(StandardCharsets.US_ASCII))
            .signedBy(vcek.key().getPrivate());
    var scheme = pki.scheme();
    assertThat(
            scheme
                .verify(
                    input(report, vcek.certificate()),
                    ExpectedBinding.exactly("nonce-1".getBytes(StandardCharsets.US_ASCII)),
                    AT)
                .valid())
        .isTrue();
    assertThat(
            types(
                scheme.verify(
                    input(report, vcek.certificate()),
                    ExpectedBinding.exactly("nonce-2".getBytes(StandardCharsets.US_ASCII)),
                    AT)))
        .containsExactly("REPORT_DATA_MISMATCH");
  }

  @Test
  void badRevoked_askListedInArkCrl_isCertificateRevoked() {
    X509CRL crl =
        CertBuilder.crl(
            pki.ark(),
            pki.arkKey().getPrivate(),
            SnpFixtures.NOW.minusSeconds(3600),
            SnpFixtures.NOW.plusSeconds(86400),
            List.of(pki.ask().getSerialNumber()));
    VerificationResult result =
        pki.scheme()
            .verify(
                withCrl(report().signedBy(vcek.key().getPrivate()), crl),
                ExpectedBinding.none(),
                AT);
    assertThat(types(result)).containsExactly("CERTIFICATE_REVOKED");
  }

  @Test
  void revocation_validArkCrl_isChecked() {
    X509CRL crl =
        CertBuilder.crl(
            pki.ark(),
            pki.arkKey().getPrivate(),
            SnpFixtures.NOW.minusSeconds(3600),
            SnpFixtures.NOW.plusSeconds(86400),
            List.of());
    VerificationResult result =
        pki.scheme()
            .verify(
                withCrl(report().signedBy(vcek.key().getPrivate()), crl),
                ExpectedBinding.none(),
                AT.withRequireRevocation(true));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("revocation")).contains("checked");
  }

  @Test
  void badStaleCrl_pastNextUpdate_isCrlStaleUnlessAllowed() {
    X509CRL crl =
        CertBuilder.crl(
            pki.ark(),
            pki.arkKey().getPrivate(),
            SnpFixtures.NOW.minusSeconds(86400 * 10),
            SnpFixtures.NOW.minusSeconds(86400),
            List.of());
    EvidenceInput evidence = withCrl(report().signedBy(vcek.key().getPrivate()), crl);
    assertThat(types(pki.scheme().verify(evidence, ExpectedBinding.none(), AT)))
        .containsExactly("CRL_STALE");
    VerificationResult allowed =
        pki.scheme().verify(evidence, ExpectedBinding.none(), AT.withAllowStaleCrl(true));
    assertThat(allowed.problems()).isEmpty();
    assertThat(allowed.claims().get("revocation")).contains("checked");
  }

  @Test
  void badCrl_signedByAnotherKey_isCrlInvalid() {
    SnpFixtures.Pki impostor = SnpFixtures.newPki(Product.MILAN);
    X509CRL crl =
        CertBuilder.crl(
            impostor.ark(),
            impostor.arkKey().getPrivate(),
            SnpFixtures.NOW.minusSeconds(3600),
            SnpFixtures.NOW.plusSeconds(86400),
            List.of());
    VerificationResult result =
        pki.scheme()
            .verify(
                withCrl(report().signedBy(vcek.key().getPrivate()), crl),
                ExpectedBinding.none(),
                AT);
    assertThat(types(result)).containsExactly("CRL_INVALID");
    assertThat(result.claims().get("revocation")).contains("unchecked");
  }

  @Test
  void badRevocation_requiredButNoCrl_isRevocationUnchecked() {
    VerificationResult result =
        pki.scheme()
            .verify(
                input(report().signedBy(vcek.key().getPrivate()), vcek.certificate()),
                ExpectedBinding.none(),
                AT.withRequireRevocation(true));
    assertThat(types(result)).containsExactly("REVOCATION_UNCHECKED");
  }

  @Test
  void badTruncated_isEvidenceMalformed() {
    byte[] report = Arrays.copyOf(report().signedBy(vcek.key().getPrivate()), 1000);
    assertThat(types(verify(report))).containsExactly("EVIDENCE_MALFORMED");
  }

  @Test
  void badOversized_isEvidenceMalformed() {
    assertThat(types(verify(new byte[EvidenceForms.MAX_BYTES + 1])))
        .containsExactly("EVIDENCE_MALFORMED");
  }

  @Test
  void badVersion_unsupported_isUnsupportedVersion() {
    for (int version : new int[] {0, 1, 4, 6}) {
      byte[] report = report().version(version).signedBy(vcek.key().getPrivate());
      assertThat(types(verify(report)))
          .as("version %d", version)
          .containsExactly("UNSUPPORTED_VERSION");
    }
  }

  @Test
  void badSignatureAlgorithm_isUnsupportedVersion() {
    byte[] report = report().signatureAlgorithm(2).signedBy(vcek.key().getPrivate());
    assertThat(types(verify(report))).containsExactly("UNSUPPORTED_VERSION");
  }

  @Test
  void badSigningKeyField_reportSaysVlekButVcekSigned_isChainInvalid() {
    byte[] report = report().signingKey(SigningKey.VLEK).signedBy(vcek.key().getPrivate());
    assertThat(types(verify(report))).containsExactly("CERTIFICATE_CHAIN_INVALID");
  }

  @Test
  void badCertificate_missing_isCertificateMissing() {
    byte[] report = report().signedBy(vcek.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(EvidenceInput.of(report), ExpectedBinding.none(), AT);
    assertThat(types(result)).containsExactly("CERTIFICATE_MISSING");
    assertThat(result.claims().get("measurement")).isPresent();
  }

  @Test
  void badCertificate_garbage_isCertificateMalformed() {
    byte[] report = report().signedBy(vcek.key().getPrivate());
    EvidenceInput evidence =
        EvidenceInput.of(report)
            .withCertificates(List.of("not a certificate".getBytes(StandardCharsets.US_ASCII)));
    assertThat(types(pki.scheme().verify(evidence, ExpectedBinding.none(), AT)))
        .containsExactly("CERTIFICATE_MALFORMED");
  }

  @Test
  void badCollateral_garbage_isCollateralMalformed() {
    EvidenceInput evidence =
        input(report().signedBy(vcek.key().getPrivate()), vcek.certificate())
            .withCollateral(
                List.of(new EvidenceInput.Collateral("junk.bin", new byte[] {1, 2, 3})));
    assertThat(types(pki.scheme().verify(evidence, ExpectedBinding.none(), AT)))
        .containsExactly("COLLATERAL_MALFORMED");
  }

  @Test
  void badEverything_listsEveryFailedCheck() {
    byte[] report =
        report()
            .chipId(SnpFixtures.chipId(Product.MILAN, 9))
            .reportedTcb(new TcbVersion(1, 1, 1, 1, -1))
            .signedBy(vcek.key().getPrivate());
    report[0x90] ^= 1;
    VerificationResult result =
        pki.scheme()
            .verify(
                input(report, vcek.certificate()),
                ExpectedBinding.exactly(new byte[] {1}),
                AT.withRequireRevocation(true));
    assertThat(types(result))
        .containsExactlyInAnyOrder(
            "REPORT_DATA_MISMATCH",
            "REVOCATION_UNCHECKED",
            "SIGNATURE_INVALID",
            "TCB_MISMATCH",
            "CHIP_ID_MISMATCH");
  }

  private EvidenceInput withCrl(byte[] report, X509CRL crl) {
    try {
      return input(report, vcek.certificate())
          .withCollateral(List.of(new EvidenceInput.Collateral("ark.crl", crl.getEncoded())));
    } catch (java.security.cert.CRLException e) {
      throw new IllegalStateException(e);
    }
  }
}
