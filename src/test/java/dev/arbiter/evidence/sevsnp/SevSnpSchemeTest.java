// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.ByteClaimsAssert;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Positive paths over the generated test PKI: every product, both key kinds, every version. */
class SevSnpSchemeTest {
  static final VerificationContext AT = VerificationContext.at(SnpFixtures.NOW);

  static EvidenceInput input(byte[] report, X509Certificate... certificates) {
    return EvidenceInput.of(report)
        .withCertificates(
            java.util.Arrays.stream(certificates).map(SevSnpSchemeTest::der).toList());
  }

  static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> types(VerificationResult result) {
    return result.problems().stream()
        .map(Problem::type)
        .map(t -> ((EvidenceProblem) t).name())
        .toList();
  }

  @ParameterizedTest
  @EnumSource(Product.class)
  void verify_validVcekReport_isValidWithContractClaims(Product product) {
    SnpFixtures.Pki pki = SnpFixtures.pki(product);
    TcbVersion tcb = product == Product.TURIN ? SnpFixtures.TURIN_TCB : SnpFixtures.TCB;
    byte[] chipId = SnpFixtures.chipId(product, 7);
    SnpFixtures.KeyCert vcek = SnpFixtures.vcek(pki, chipId, tcb);
    byte[] measurement = new byte[48];
    measurement[0] = 0x42;
    byte[] report =
        SnpFixtures.report(product)
            .chipId(chipId)
            .measurement(measurement)
            .hostData(new byte[] {9, 9})
            .reportData(new byte[] {1, 2, 3})
            .guestSvn(7)
            .vmpl(2)
            .signedBy(vcek.key().getPrivate());

    VerificationResult result =
        pki.scheme()
            .verify(
                input(report, vcek.certificate()),
                ExpectedBinding.exactly(new byte[] {1, 2, 3}),
                AT);

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("version")).contains(5L);
    assertThat(claims.get("product")).contains(product.claim());
    assertThat(claims.get("signing_key")).contains("vcek");
    assertThat(claims.get("measurement")).contains("42" + "00".repeat(47));
    assertThat(claims.get("host_data")).contains("0909" + "00".repeat(30));
    assertThat(claims.get("chip_id")).contains(dev.arbiter.internal.Hex.encode(chipId));
    assertThat(claims.get("guest_svn")).contains(7L);
    assertThat(claims.get("vmpl")).contains(2L);
    assertThat(claims.get("policy")).contains(0x30000L);
    assertThat(claims.get("debug_allowed")).contains(false);
    assertThat(claims.get("smt_allowed")).contains(true);
    assertThat(claims.get("revocation")).contains("unchecked");
    assertThat(claims.get("reported_tcb.bootloader")).contains((long) tcb.bootloader());
    assertThat(claims.get("reported_tcb.snp")).contains((long) tcb.snp());
    assertThat(claims.get("reported_tcb.microcode")).contains((long) tcb.microcode());
    assertThat(claims.get("reported_tcb.fmc").isPresent()).isEqualTo(product == Product.TURIN);
    for (String name :
        List.of(
            "version",
            "measurement",
            "report_data",
            "host_data",
            "chip_id",
            "id_key_digest",
            "author_key_digest",
            "report_id",
            "guest_svn",
            "policy",
            "vmpl",
            "reported_tcb.tee",
            "signing_key",
            "product",
            "debug_allowed")) {
      assertThat(claims.get(name)).as(name).isPresent();
    }
    assertThat(pki.scheme().descriptor().claimNames()).containsAll(claims.flatten().keySet());
    assertThat(ByteClaimsAssert.assertByteClaims(pki.scheme().descriptor(), claims, Set.of()))
        .containsExactlyInAnyOrderElementsOf(pki.scheme().descriptor().byteClaims().keySet());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5})
  void verify_eachSupportedVersion_isValid(int version) {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    SnpReportBuilder builder = SnpFixtures.report(Product.MILAN).version(version);
    if (version == 2) {
      builder.cpuid(0, 0, 0);
    }
    VerificationResult result =
        pki.scheme()
            .verify(
                input(builder.signedBy(vcek.key().getPrivate()), vcek.certificate()),
                ExpectedBinding.none(),
                AT);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("version")).contains((long) version);
    assertThat(result.claims().get("cpuid.family").isPresent()).isEqualTo(version >= 3);
    assertThat(result.claims().get("current_mit_vector").isPresent()).isEqualTo(version >= 5);
  }

  @Test
  void verify_vlekReport_isValidWithCspId() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.GENOA);
    SnpFixtures.KeyCert vlek = SnpFixtures.vlek(pki, SnpFixtures.TCB);
    byte[] report =
        SnpFixtures.report(Product.GENOA)
            .signingKey(SigningKey.VLEK)
            .chipId(new byte[64])
            .signedBy(vlek.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, vlek.certificate()), ExpectedBinding.none(), AT);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("signing_key")).contains("vlek");
    assertThat(result.claims().get("csp_id")).contains("CN=test-csp.example");
  }

  @Test
  void verify_debugPolicy_isAClaimNotARejection() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    byte[] report =
        SnpFixtures.report(Product.MILAN).policy(0x1B0000L).signedBy(vcek.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, vcek.certificate()), ExpectedBinding.none(), AT);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("debug_allowed")).contains(true);
    assertThat(result.claims().get("single_socket")).contains(true);
    assertThat(result.claims().get("migration_agent_allowed")).contains(false);
  }

  @Test
  void verify_policyAndPlatformInfoBits_areNamedBooleanClaims() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.GENOA);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.GENOA, 1), SnpFixtures.TCB);
    // policy: SMT (16), reserved (17), migration agent (18), CXL (21), page swap disabled (25);
    // platform_info: TSME (1), alias check complete (5), TIO (7), a reserved bit (9).
    byte[] report =
        SnpFixtures.report(Product.GENOA)
            .policy(0x2270000L)
            .platformInfo(0x2A2L)
            .signedBy(vcek.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, vcek.certificate()), ExpectedBinding.none(), AT);

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("policy")).contains(0x2270000L);
    assertThat(claims.get("policy_smt_allowed")).contains(true);
    assertThat(claims.get("policy_migrate_ma")).contains(true);
    assertThat(claims.get("policy_debug_allowed")).contains(false);
    assertThat(claims.get("policy_single_socket")).contains(false);
    assertThat(claims.get("policy_cxl_allowed")).contains(true);
    assertThat(claims.get("policy_mem_aes_256_xts")).contains(false);
    assertThat(claims.get("policy_rapl_disabled")).contains(false);
    assertThat(claims.get("policy_ciphertext_hiding_dram")).contains(false);
    assertThat(claims.get("policy_page_swap_disabled")).contains(true);
    assertThat(claims.get("platform_info")).contains(0x2A2L);
    assertThat(claims.get("platform_smt_enabled")).contains(false);
    assertThat(claims.get("platform_tsme_enabled")).contains(true);
    assertThat(claims.get("platform_ecc_enabled")).contains(false);
    assertThat(claims.get("platform_rapl_disabled")).contains(false);
    assertThat(claims.get("platform_ciphertext_hiding_dram_enabled")).contains(false);
    assertThat(claims.get("platform_alias_check_complete")).contains(true);
    assertThat(claims.get("platform_iommu_write_safe")).contains(false);
    assertThat(claims.get("platform_tio_enabled")).contains(true);
    assertThat(claims.flatten().keySet())
        .allSatisfy(name -> assertThat(SnpClaims.NAMES).contains(name));
  }

  @Test
  void verify_idAndAuthorKeyDigests_areHexClaimsAndDeclaredNames() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    byte[] idKey = new byte[48];
    byte[] authorKey = new byte[48];
    Arrays.fill(idKey, (byte) 0xa1);
    Arrays.fill(authorKey, (byte) 0x5c);
    byte[] report =
        SnpFixtures.report(Product.MILAN)
            .idKeyDigest(idKey)
            .authorKeyDigest(authorKey)
            .signedBy(vcek.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, vcek.certificate()), ExpectedBinding.none(), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("id_key_digest")).contains("a1".repeat(48));
    assertThat(result.claims().get("author_key_digest")).contains("5c".repeat(48));
    assertThat(SnpClaims.NAMES).contains("id_key_digest", "author_key_digest");
  }

  @Test
  void verify_maskedChipId_skipsHwIdComparisonAndSaysSo() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    byte[] report =
        SnpFixtures.report(Product.MILAN).chipId(new byte[64]).signedBy(vcek.key().getPrivate());
    VerificationResult result =
        pki.scheme().verify(input(report, vcek.certificate()), ExpectedBinding.none(), AT);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("chip_id_masked")).contains(true);
  }

  @Test
  void fixtures_signedReport_verifiesWithTheFixtureScheme() {
    SnpFixtures.Evidence evidence =
        SnpFixtures.signedReport(Product.TURIN, 3, new byte[] {7}, new byte[] {8}, new byte[] {9});
    VerificationResult result =
        SnpFixtures.pki(Product.TURIN)
            .scheme()
            .verify(evidence.input(), ExpectedBinding.exactly(new byte[] {7}), AT);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("host_data")).contains("09" + "00".repeat(31));
  }

  @Test
  void verify_severalVceks_picksTheOneForThisChip() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert other =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 20), SnpFixtures.TCB);
    SnpFixtures.KeyCert mine =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 21), SnpFixtures.TCB);
    byte[] report =
        SnpFixtures.report(Product.MILAN)
            .chipId(SnpFixtures.chipId(Product.MILAN, 21))
            .signedBy(mine.key().getPrivate());
    VerificationResult result =
        pki.scheme()
            .verify(
                input(report, other.certificate(), mine.certificate()), ExpectedBinding.none(), AT);
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void verify_secondCall_usesTheChainCache() {
    SnpFixtures.Pki pki = SnpFixtures.pki(Product.MILAN);
    SnpFixtures.KeyCert vcek =
        SnpFixtures.vcek(pki, SnpFixtures.chipId(Product.MILAN, 1), SnpFixtures.TCB);
    SevSnpScheme scheme = pki.scheme();
    for (int i = 0; i < 3; i++) {
      byte[] report =
          SnpFixtures.report(Product.MILAN)
              .reportData(new byte[] {(byte) i})
              .signedBy(vcek.key().getPrivate());
      assertThat(
              scheme
                  .verify(
                      input(report, vcek.certificate()),
                      ExpectedBinding.exactly(new byte[] {(byte) i}),
                      AT)
                  .valid())
          .isTrue();
    }
    assertThat(scheme.chains().cachedChains()).isEqualTo(1);
  }
}
