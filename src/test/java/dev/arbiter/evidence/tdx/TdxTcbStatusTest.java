// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.CollateralBuilder;
import dev.arbiter.evidence.dcap.CollateralBuilder.Level;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.internal.Hex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCB Info / QE Identity checks and Intel's TCB level matching, one case per rule. */
class TdxTcbStatusTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private static final int[] PLATFORM = DcapFixtures.DEFAULT_COMPONENTS;
  private final TdxScheme scheme = new TdxScheme(FIXTURES.trust());

  private VerificationResult verify(byte[] quote, List<EvidenceInput.Collateral> collateral) {
    return scheme.verify(
        EvidenceInput.of(quote).withCollateral(collateral),
        ExpectedBinding.none(),
        VerificationContext.at(DcapFixtures.NOW));
  }

  private VerificationResult verify(CollateralBuilder collateral) {
    return verify(FIXTURES.tdxQuote().build(), collateral.files());
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(p -> (EvidenceProblem) p.type()).toList();
  }

  private static Level level(int[] tdx, String status, String... advisories) {
    return new Level(PLATFORM, DcapFixtures.DEFAULT_PCESVN, tdx, status, List.of(advisories));
  }

  @Test
  void status_platformLevels_areReportedWithAdvisories() {
    for (String status :
        List.of(
            "UpToDate",
            "SWHardeningNeeded",
            "ConfigurationNeeded",
            "ConfigurationAndSWHardeningNeeded",
            "OutOfDate",
            "OutOfDateConfigurationNeeded")) {
      VerificationResult result =
          verify(
              FIXTURES
                  .collateralBuilder(true)
                  .levels(
                      List.of(
                          level(CollateralBuilder.tdxSvns(5, 0, 7), status, "INTEL-SA-00001"))));
      assertThat(result.problems()).as(status).isEmpty();
      assertThat(result.claims().get("tcb_status")).contains(status);
      assertThat(result.claims().get("advisory_ids")).contains(List.of("INTEL-SA-00001"));
    }
  }

  @Test
  void status_badRevokedLevel_isTcbRevoked() {
    VerificationResult result =
        verify(
            FIXTURES
                .collateralBuilder(true)
                .levels(List.of(level(CollateralBuilder.tdxSvns(5, 0, 7), "Revoked"))));
    assertThat(types(result)).containsExactly(EvidenceProblem.TCB_REVOKED);
    assertThat(result.claims().get("tcb_status")).contains("Revoked");
  }

  @Test
  void status_badNoMatchingLevel_isCollateralMismatch() {
    int[] above = PLATFORM.clone();
    above[7]++;
    VerificationResult result =
        verify(
            FIXTURES
                .collateralBuilder(true)
                .levels(
                    List.of(
                        new Level(
                            above,
                            DcapFixtures.DEFAULT_PCESVN,
                            CollateralBuilder.tdxSvns(5, 0, 7),
                            "UpToDate",
                            List.of()))));
    assertThat(types(result)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    assertThat(result.claims().get("tcb_status")).contains("unknown");
  }

  @Test
  void status_lowerPcesvn_fallsToNextLevel() {
    List<Level> levels =
        List.of(
            new Level(
                PLATFORM,
                DcapFixtures.DEFAULT_PCESVN + 1,
                CollateralBuilder.tdxSvns(5, 0, 7),
                "UpToDate",
                List.of()),
            level(CollateralBuilder.tdxSvns(5, 0, 7), "OutOfDate", "INTEL-SA-00002"));
    VerificationResult result = verify(FIXTURES.collateralBuilder(true).levels(levels));
    assertThat(result.claims().get("tcb_status")).contains("OutOfDate");
    assertThat(result.claims().get("advisory_ids")).contains(List.of("INTEL-SA-00002"));
  }

  @Test
  void status_intelRuleSkipsModuleSvnBytes_whenModuleMajorVersionIsSet() {
    // tee_tcb_svn[0] = 4 is below level 0's tdxtcbcomponents[0] = 5: the all-16 rule would pick the
    // OutOfDate level, Intel's rule compares from index 2 and judges the module by TDX_01 (isvsvn
    // 4).
    byte[] quote =
        FIXTURES.tdxQuote().teeTcbSvn(Hex.decode("04010700000000000000000000000000")).build();
    VerificationResult result = verify(quote, FIXTURES.collateral(true));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).contains("UpToDate");
  }

  @Test
  void status_allSixteenBytesCompared_whenModuleMajorVersionIsZero() {
    byte[] quote =
        FIXTURES.tdxQuote().teeTcbSvn(Hex.decode("04000700000000000000000000000000")).build();
    VerificationResult result = verify(quote, FIXTURES.collateral(true));
    assertThat(result.claims().get("tcb_status")).contains("OutOfDate");
    assertThat(result.claims().get("advisory_ids"))
        .contains(List.of("INTEL-SA-00960", "INTEL-SA-00982"));
  }

  @Test
  void status_outOfDateModule_convergesToOutOfDate() {
    byte[] quote =
        FIXTURES.tdxQuote().teeTcbSvn(Hex.decode("03010700000000000000000000000000")).build();
    VerificationResult result = verify(quote, FIXTURES.collateral(true));
    assertThat(result.claims().get("tcb_status")).contains("OutOfDate");
    assertThat(result.claims().get("advisory_ids")).contains(List.of("INTEL-SA-01000"));
  }

  @Test
  void status_badUnknownModuleIdentity_isCollateralMismatch() {
    byte[] quote =
        FIXTURES.tdxQuote().teeTcbSvn(Hex.decode("05020700000000000000000000000000")).build();
    assertThat(types(verify(quote, FIXTURES.collateral(true))))
        .containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
  }

  @Test
  void status_outOfDateQe_convergesWithPlatformStatus() {
    VerificationResult plain =
        verify(FIXTURES.tdxQuote().qeIsvSvn(7).build(), FIXTURES.collateral(true));
    assertThat(plain.claims().get("tcb_status")).contains("OutOfDate");
    assertThat(plain.claims().get("advisory_ids")).contains(List.of("INTEL-SA-00615"));
    VerificationResult configuration =
        verify(
            FIXTURES.tdxQuote().qeIsvSvn(7).build(),
            FIXTURES
                .collateralBuilder(true)
                .levels(
                    List.of(
                        level(
                            CollateralBuilder.tdxSvns(5, 0, 7),
                            "ConfigurationNeeded",
                            "INTEL-SA-00003")))
                .files());
    assertThat(configuration.claims().get("tcb_status")).contains("OutOfDateConfigurationNeeded");
    assertThat(configuration.claims().get("advisory_ids"))
        .contains(List.of("INTEL-SA-00003", "INTEL-SA-00615"));
  }

  @Test
  void status_badQeBelowEveryLevel_isRevoked() {
    VerificationResult result =
        verify(FIXTURES.tdxQuote().qeIsvSvn(5).build(), FIXTURES.collateral(true));
    assertThat(types(result)).containsExactly(EvidenceProblem.TCB_REVOKED);
  }

  @Test
  void collateral_badTcbInfoSignature_isCollateralInvalid() {
    assertThat(types(verify(FIXTURES.collateralBuilder(true).badTcbInfoSignature())))
        .containsExactly(EvidenceProblem.COLLATERAL_INVALID);
  }

  @Test
  void collateral_badUntrustedSigner_isCollateralInvalid() {
    DcapFixtures other = DcapFixtures.create();
    List<EvidenceInput.Collateral> files =
        new ArrayList<>(
            FIXTURES.collateralBuilder(true).signingKey(other.tcbSignerKey.getPrivate()).files());
    files.add(new EvidenceInput.Collateral("other-chain.pem", other.tcbSigningChainPem()));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(types(result)).containsOnly(EvidenceProblem.COLLATERAL_INVALID).hasSize(2);
  }

  @Test
  void collateral_badMissingSigningCertificate_isCertificateMissing() {
    List<EvidenceInput.Collateral> files = new ArrayList<>(FIXTURES.collateral(true));
    files.removeIf(f -> f.name().endsWith(".pem"));
    assertThat(types(verify(FIXTURES.tdxQuote().build(), files)))
        .containsOnly(EvidenceProblem.CERTIFICATE_MISSING)
        .hasSize(2);
  }

  @Test
  void collateral_badExpired_isCollateralExpired() {
    VerificationResult result =
        verify(
            FIXTURES
                .collateralBuilder(true)
                .validity(
                    Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z")));
    assertThat(types(result)).containsOnly(EvidenceProblem.COLLATERAL_EXPIRED).hasSize(2);
  }

  @Test
  void collateral_badFmspc_isCollateralMismatch() {
    VerificationResult result = verify(FIXTURES.collateralBuilder(true).fmspc("50806f000000"));
    assertThat(types(result)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    assertThat(result.claims().get("tcb_status")).contains("unknown");
  }

  @Test
  void collateral_badQeIdentityMrSigner_isCollateralMismatch() {
    assertThat(types(verify(FIXTURES.collateralBuilder(true).qeMrSigner(new byte[32]))))
        .containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
  }

  @Test
  void collateral_sgxTcbInfoForTdxQuote_isCollateralMismatch() {
    List<EvidenceInput.Collateral> files = new ArrayList<>(FIXTURES.collateral(false));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(types(result)).containsOnly(EvidenceProblem.COLLATERAL_MISMATCH);
  }

  @Test
  void collateral_newestApplicableTcbInfo_isChosen() {
    List<EvidenceInput.Collateral> files = new ArrayList<>(FIXTURES.collateral(true));
    files.add(
        new EvidenceInput.Collateral(
            "old-tcbinfo.json",
            FIXTURES
                .collateralBuilder(true)
                .validity(
                    Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"))
                .tcbInfoBody()));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).contains("UpToDate");
  }

  @Test
  void status_badTdxModuleMrSigner_isCollateralMismatch() {
    VerificationResult withIdentity =
        verify(FIXTURES.collateralBuilder(true).moduleMrSigner(DcapFixtures.filled(48, 1)));
    assertThat(types(withIdentity)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    byte[] majorZero =
        FIXTURES.tdxQuote().teeTcbSvn(Hex.decode("05000700000000000000000000000000")).build();
    VerificationResult plainModule =
        verify(
            majorZero,
            FIXTURES
                .collateralBuilder(true)
                .withoutModuleIdentities()
                .moduleMrSigner(DcapFixtures.filled(48, 1))
                .files());
    assertThat(types(plainModule)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    assertThat(plainModule.problems().get(0).detail()).contains("mr_signer_seam");
  }

  @Test
  void collateral_badSignedByPckKey_isCollateralInvalid() {
    List<EvidenceInput.Collateral> files =
        new ArrayList<>(
            FIXTURES.collateralBuilder(true).signingKey(FIXTURES.pckKey.getPrivate()).files());
    files.add(new EvidenceInput.Collateral("pck-chain.pem", FIXTURES.pckChainPem()));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(types(result)).containsOnly(EvidenceProblem.COLLATERAL_INVALID).hasSize(2);
  }

  @Test
  void collateral_badSignerBelowIntermediate_isCollateralInvalid() {
    var key = dev.arbiter.crypto.CertBuilder.ecKeyPair("secp256r1");
    var signer =
        dev.arbiter.crypto.CertBuilder.subject("CN=Not A TCB Signer", key.getPublic())
            .issuer(FIXTURES.pckCa, FIXTURES.pckCaKey.getPrivate())
            .build();
    List<EvidenceInput.Collateral> files =
        new ArrayList<>(FIXTURES.collateralBuilder(true).signingKey(key.getPrivate()).files());
    files.removeIf(f -> f.name().endsWith(".pem"));
    files.add(
        new EvidenceInput.Collateral(
            "signer.pem",
            (dev.arbiter.crypto.Certificates.toPem(signer)
                    + dev.arbiter.crypto.Certificates.toPem(FIXTURES.pckCa))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(types(result)).containsOnly(EvidenceProblem.COLLATERAL_INVALID).hasSize(2);
    assertThat(result.problems().get(0).detail()).contains("not issued directly by the root");
  }
}
