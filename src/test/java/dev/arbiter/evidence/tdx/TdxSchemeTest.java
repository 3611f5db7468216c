// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.evidence.ByteClaimsAssert;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TdxSchemeTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private final TdxScheme scheme = new TdxScheme(FIXTURES.trust());
  private final VerificationContext now = VerificationContext.at(DcapFixtures.NOW);

  private VerificationResult verify(byte[] quote, List<EvidenceInput.Collateral> collateral) {
    return scheme.verify(
        EvidenceInput.of(quote).withCollateral(collateral), ExpectedBinding.none(), now);
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(p -> (EvidenceProblem) p.type()).toList();
  }

  @Test
  void verify_validV4WithCollateral_returnsClaims() {
    byte[] reportData = DcapFixtures.filled(64, 0x42);
    byte[] mrConfigId = DcapFixtures.filled(48, 0x77);
    byte[] quote = FIXTURES.tdxQuote().reportData(reportData).mrConfigId(mrConfigId).build();

    VerificationResult result =
        scheme.verify(
            EvidenceInput.of(quote).withCollateral(FIXTURES.collateral(true)),
            ExpectedBinding.exactly(reportData),
            now);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().values().keySet())
        .startsWith(
            "version",
            "mr_td",
            "mr_seam",
            "mr_config_id",
            "mr_owner",
            "mr_owner_config",
            "rtmr0",
            "rtmr1",
            "rtmr2",
            "rtmr3",
            "report_data",
            "tee_tcb_svn",
            "fmspc",
            "tcb_status",
            "advisory_ids",
            "revocation");
    assertThat(result.claims().get("version")).contains(4L);
    assertThat(result.claims().get("mr_td")).contains(Hex.encode(DcapFixtures.filled(48, 0x11)));
    assertThat(result.claims().get("mr_config_id")).contains(Hex.encode(mrConfigId));
    assertThat(result.claims().get("report_data")).contains(Hex.encode(reportData));
    assertThat(result.claims().get("fmspc")).contains("00906ed50000");
    assertThat(result.claims().get("tcb_status")).contains("UpToDate");
    assertThat(result.claims().get("advisory_ids")).contains(List.of());
    assertThat(result.claims().get("revocation")).contains("checked");
    assertThat(ByteClaimsAssert.assertByteClaims(scheme.descriptor(), result.claims(), Set.of()))
        .contains("mr_td", "mr_config_id", "rtmr3", "report_data", "tee_tcb_svn", "fmspc");
  }

  @Test
  void verify_v5Td10AndTd15Bodies_areValid() {
    for (int bodyType : new int[] {2, 3}) {
      byte[] quote = FIXTURES.tdxQuote().version(5).bodyType(bodyType).build();
      VerificationResult result = verify(quote, FIXTURES.collateral(true));
      assertThat(result.problems()).as("body type %d", bodyType).isEmpty();
      assertThat(result.claims().get("version")).contains(5L);
      assertThat(result.claims().get("tee_tcb_svn2").isPresent()).isEqualTo(bodyType == 3);
      Set<String> checked =
          ByteClaimsAssert.assertByteClaims(scheme.descriptor(), result.claims(), Set.of());
      if (bodyType == 3) {
        // every byte claim of the quote (the event log's come from TdxEventLogTest)
        Set<String> quoteBytes = new java.util.TreeSet<>(scheme.descriptor().byteClaims().keySet());
        quoteBytes.removeAll(dev.arbiter.evidence.eventlog.EventLogs.byteClaims().keySet());
        assertThat(checked).containsExactlyInAnyOrderElementsOf(quoteBytes);
      }
    }
  }

  @Test
  void verify_trailingPadding_isIgnored() {
    byte[] quote = FIXTURES.tdxQuote().trailing(new byte[3000]).build();
    assertThat(verify(quote, FIXTURES.collateral(true)).problems()).isEmpty();
  }

  @Test
  void verify_noCollateral_tcbUnknownRevocationUncheckedButValid() {
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), List.of());
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).contains("unknown");
    assertThat(result.claims().get("revocation")).contains("unchecked");
  }

  @Test
  void verify_noCrlWithRequireRevocation_isRevocationUnchecked() {
    VerificationResult result =
        scheme.verify(
            EvidenceInput.of(FIXTURES.tdxQuote().build()),
            ExpectedBinding.none(),
            now.withRequireRevocation(true));
    assertThat(types(result)).containsExactly(EvidenceProblem.REVOCATION_UNCHECKED);
  }

  @Test
  void verify_badQuoteSignature_isSignatureInvalid() {
    assertThat(types(verify(FIXTURES.tdxQuote().badQuoteSignature().build(), List.of())))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void verify_badQeSignature_isSignatureInvalid() {
    assertThat(types(verify(FIXTURES.tdxQuote().badQeSignature().build(), List.of())))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void verify_badKeyBinding_isKeyBindingInvalid() {
    assertThat(types(verify(FIXTURES.tdxQuote().badKeyBinding().build(), List.of())))
        .containsExactly(EvidenceProblem.KEY_BINDING_INVALID);
  }

  @Test
  void verify_badReportData_isReportDataMismatch() {
    byte[] quote = FIXTURES.tdxQuote().reportData(DcapFixtures.filled(64, 1)).build();
    VerificationResult result =
        scheme.verify(
            EvidenceInput.of(quote), ExpectedBinding.exactly(DcapFixtures.filled(64, 2)), now);
    assertThat(types(result)).containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void verify_badQeVendor_isUnsupported() {
    assertThat(types(verify(FIXTURES.tdxQuote().qeVendor(new byte[16]).build(), List.of())))
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void verify_badChainUntrustedRoot_isChainInvalid() {
    DcapFixtures other = DcapFixtures.create();
    assertThat(types(verify(other.tdxQuote().build(), List.of())))
        .containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
    VerificationResult pinned =
        TdxScheme.withPinnedRoots()
            .verify(EvidenceInput.of(FIXTURES.tdxQuote().build()), ExpectedBinding.none(), now);
    assertThat(types(pinned)).containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void verify_badExpiredPck_isCertificateExpired() {
    VerificationResult result =
        scheme.verify(
            EvidenceInput.of(FIXTURES.tdxQuote().build()),
            ExpectedBinding.none(),
            VerificationContext.at(Instant.parse("2032-01-01T00:00:00Z")));
    assertThat(types(result)).containsExactly(EvidenceProblem.CERTIFICATE_EXPIRED);
  }

  @Test
  void verify_badRevokedPck_isCertificateRevoked() {
    List<EvidenceInput.Collateral> files = new ArrayList<>(FIXTURES.collateral(true));
    files.removeIf(f -> f.name().equals("pck.crl"));
    files.add(
        DcapFixtures.file("pck.crl", FIXTURES.pckCrl(List.of(FIXTURES.pck.getSerialNumber()))));
    assertThat(types(verify(FIXTURES.tdxQuote().build(), files)))
        .containsExactly(EvidenceProblem.CERTIFICATE_REVOKED);
  }

  @Test
  void verify_badCrlSignature_isCrlInvalid() {
    var forged =
        CertBuilder.crl(
            FIXTURES.pckCa,
            CertBuilder.ecKeyPair("secp256r1").getPrivate(),
            DcapFixtures.NOW.minus(Duration.ofDays(1)),
            DcapFixtures.NOW.plus(Duration.ofDays(1)),
            List.of());
    List<EvidenceInput.Collateral> files = new ArrayList<>(FIXTURES.collateral(true));
    files.removeIf(f -> f.name().equals("pck.crl"));
    files.add(DcapFixtures.file("forged.crl", forged));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(types(result)).containsExactly(EvidenceProblem.CRL_INVALID);
    assertThat(result.claims().get("revocation")).contains("unchecked");
  }

  @Test
  void verify_badStaleCrl_isCrlStaleUnlessAllowed() {
    List<EvidenceInput.Collateral> files = new ArrayList<>(FIXTURES.collateral(true));
    files.removeIf(f -> f.name().equals("pck.crl"));
    files.add(
        DcapFixtures.file(
            "old.crl",
            FIXTURES.pckCrl(
                List.of(),
                DcapFixtures.NOW.minus(Duration.ofDays(60)),
                DcapFixtures.NOW.minus(Duration.ofDays(30)))));
    byte[] quote = FIXTURES.tdxQuote().build();
    assertThat(types(verify(quote, files))).containsExactly(EvidenceProblem.CRL_STALE);
    VerificationResult allowed =
        scheme.verify(
            EvidenceInput.of(quote).withCollateral(files),
            ExpectedBinding.none(),
            now.withAllowStaleCrl(true));
    assertThat(allowed.problems()).isEmpty();
    assertThat(allowed.claims().get("revocation")).contains("checked");
  }

  @Test
  void verify_suppliedChainWhenNotEmbedded_isValidAndMissingChainIsReported() {
    byte[] quote = FIXTURES.tdxQuote().embedChain(false).build();
    assertThat(types(verify(quote, List.of())))
        .containsExactly(EvidenceProblem.CERTIFICATE_MISSING);
    VerificationResult supplied =
        scheme.verify(
            EvidenceInput.of(quote).withCertificates(List.of(FIXTURES.pckChainPem())),
            ExpectedBinding.none(),
            now);
    assertThat(supplied.problems()).isEmpty();
  }

  @Test
  void verify_badMalformedInputs_areTypedProblems() {
    byte[] quote = FIXTURES.tdxQuote().build();
    assertThat(types(verify(java.util.Arrays.copyOf(quote, 700), List.of())))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    assertThat(types(verify("garbage".getBytes(StandardCharsets.US_ASCII), List.of())))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    assertThat(types(verify(new byte[2 << 20], List.of())))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    byte[] wrongVersion = quote.clone();
    wrongVersion[0] = 9;
    assertThat(types(verify(wrongVersion, List.of())))
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
    assertThat(types(verify(FIXTURES.sgxQuote().build(), List.of())))
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void verify_badCollateralJson_isCollateralMalformed() {
    List<EvidenceInput.Collateral> files =
        List.of(
            new EvidenceInput.Collateral(
                "broken.json",
                "{\"tcbInfo\": {\"version\": 3}, \"signature\": \"00\"}"
                    .getBytes(StandardCharsets.UTF_8)));
    VerificationResult result = verify(FIXTURES.tdxQuote().build(), files);
    assertThat(types(result)).containsExactly(EvidenceProblem.COLLATERAL_MALFORMED);
    assertThat(result.problems())
        .extracting(Problem::detail)
        .allMatch(d -> d.contains("broken.json"));
  }

  @Test
  void verify_dcapQvlCollateralJson_isAccepted() {
    VerificationResult result =
        verify(
            FIXTURES.tdxQuote().build(), List.of(FIXTURES.collateralBuilder(true).dcapQvlJson()));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("tcb_status")).contains("UpToDate");
    assertThat(result.claims().get("revocation")).contains("checked");
  }

  @Test
  void verify_warmCachesThenLaterTime_recheckEveryValidityWindow() {
    EvidenceInput input =
        EvidenceInput.of(FIXTURES.tdxQuote().build()).withCollateral(FIXTURES.collateral(true));
    assertThat(scheme.verify(input, ExpectedBinding.none(), now).problems()).isEmpty();
    assertThat(scheme.verify(input, ExpectedBinding.none(), now).problems()).isEmpty();
    VerificationResult later =
        scheme.verify(
            input,
            ExpectedBinding.none(),
            VerificationContext.at(DcapFixtures.NOW.plus(Duration.ofDays(60))));
    assertThat(types(later))
        .contains(EvidenceProblem.CRL_STALE, EvidenceProblem.COLLATERAL_EXPIRED);
    VerificationResult muchLater =
        scheme.verify(
            input,
            ExpectedBinding.none(),
            VerificationContext.at(Instant.parse("2032-01-01T00:00:00Z")));
    assertThat(types(muchLater)).contains(EvidenceProblem.CERTIFICATE_EXPIRED);
  }

  @Test
  void verify_collateralCurrentAtAnotherTime_isValidThen() {
    Instant later = Instant.parse("2027-03-01T12:00:00Z");
    VerificationResult result =
        scheme.verify(
            EvidenceInput.of(FIXTURES.tdxQuote().build())
                .withCollateral(FIXTURES.collateral(true, later)),
            ExpectedBinding.none(),
            VerificationContext.at(later));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("revocation")).contains("checked");
  }

  @Test
  void verify_badAttestationKeyNotOnCurve_isSignatureInvalid() {
    byte[] quote = FIXTURES.tdxQuote().build();
    int keyOffset = 48 + 584 + 4 + 64;
    quote[keyOffset + 63] ^= 1;
    VerificationResult result = verify(quote, List.of());
    assertThat(types(result))
        .containsExactlyInAnyOrder(
            EvidenceProblem.SIGNATURE_INVALID, EvidenceProblem.KEY_BINDING_INVALID);
    assertThat(result.problems().get(0).detail()).contains("not a P-256 point");
  }

  @Test
  void verify_badV5BodySize_isEvidenceMalformed() {
    byte[] quote = FIXTURES.tdxQuote().version(5).bodyType(3).build();
    quote[50] = (byte) 0x48; // body size 584 instead of 648
    quote[51] = 0x02;
    assertThat(types(verify(quote, List.of()))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void verify_badSignedBodyField_isSignatureInvalid() {
    byte[] quote = FIXTURES.tdxQuote().build();
    quote[48 + 136] ^= 0x10; // mr_td
    assertThat(types(verify(quote, List.of()))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }
}
