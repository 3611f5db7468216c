// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Synthetic SPDM reports signed by a test device PKI: the valid case and a bad case per rule. */
class NvidiaGpuSchemeTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private static final GpuFixtures GPU = new GpuFixtures();
  private static final RimFixtures RIM = new RimFixtures();
  private static final NvidiaGpuScheme SCHEME = new NvidiaGpuScheme(GPU.root, RIM.root);
  private static final byte[] NONCE = GpuFixtures.filled(32, 0x42);

  private static EvidenceInput input(byte[] report) {
    return EvidenceInput.of(report)
        .withCertificates(List.of(GPU.chainPem().getBytes(StandardCharsets.US_ASCII)));
  }

  private static List<Object> types(VerificationResult result) {
    return result.problems().stream().map(Problem::type).map(Object.class::cast).toList();
  }

  private static VerificationResult verify(EvidenceInput input) {
    return SCHEME.verify(input, ExpectedBinding.exactly(NONCE), AT);
  }

  @Test
  void report_signedByDeviceLeaf_isValidWithClaims() throws Exception {
    VerificationResult result = verify(input(GPU.report(NONCE)));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("nonce")).contains(Hex.encode(NONCE));
    assertThat(result.claims().get("measurements.3")).contains("03".repeat(48));
    assertThat(result.claims().get("vbios_version")).contains(GpuFixtures.VBIOS);
    assertThat(result.claims().get("driver_version")).contains(GpuFixtures.DRIVER);
    assertThat(result.claims().get("project")).contains("1010");
    assertThat(result.claims().get("device_certificate.fwid"))
        .contains(Hex.encode(GpuFixtures.FWID));
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(), result.claims(), GPU_VARIABLE_LENGTH))
        .containsExactlyInAnyOrderElementsOf(SCHEME.descriptor().byteClaims().keySet());
  }

  /**
   * Hex claims of a GPU that are not byte strings of a fixed length: measurement blocks,
   * opaque-data fields, the certificate's serial (a hex number) and text fields that happen to be
   * hex digits (the fixture's project is "1010").
   */
  private static final java.util.Set<String> GPU_VARIABLE_LENGTH =
      java.util.Set.of("measurements.*", "fwid", "project", "device_certificate.serial");

  @Test
  void jsonListOfTwoGpus_isValidPerGpu() throws Exception {
    Map<String, String> gpu =
        Map.of(
            "evidence",
            Base64.getEncoder().encodeToString(GPU.report(NONCE)),
            "certificate",
            Base64.getEncoder().encodeToString(GPU.chainPem().getBytes(StandardCharsets.US_ASCII)));
    byte[] json = Json.write(List.of(gpu, gpu)).getBytes(StandardCharsets.UTF_8);

    VerificationResult result = verify(EvidenceInput.of(json));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("gpu_count")).contains(2L);
    assertThat(result.claims().get("gpus.1.nonce")).contains(Hex.encode(NONCE));
    // per-GPU claims sit under gpus.N, a claim the descriptor lists as a whole
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(), result.claims(), java.util.Set.of("gpus.*")))
        .isEmpty();
  }

  @Test
  void bad_signature_isSignatureInvalid() throws Exception {
    byte[] report = GPU.report(NONCE);
    report[report.length - 1] ^= 1;
    assertThat(types(verify(input(report)))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_nonce_isReportDataMismatch() throws Exception {
    assertThat(types(verify(input(GPU.report(GpuFixtures.filled(32, 1))))))
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void bad_spdmVersion_isUnsupported() throws Exception {
    byte[] report =
        GpuFixtures.sign(
            GPU.leafKey.getPrivate(),
            GpuFixtures.unsigned(
                0x12, NONCE, GpuFixtures.measurements(2), GpuFixtures.opaque(GpuFixtures.FWID)));
    assertThat(types(verify(input(report)))).containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void trailingZeroPadding_asAttestationAgentCapturesIt_isValidAndCounted() throws Exception {
    // Confidential Containers' attestation-agent hands over the report with one 0x00 after the
    // signature, inside Trustee's device_evidence_list container.
    byte[] padded = Arrays.copyOf(GPU.report(NONCE), GPU.report(NONCE).length + 1);
    Map<String, Object> container =
        Map.of(
            "device_evidence_list",
            List.of(
                Map.of(
                    "arch",
                    "HOPPER",
                    "uuid",
                    "GPU-1",
                    "evidence",
                    Hex.encode(padded),
                    "certificate",
                    Base64.getEncoder()
                        .encodeToString(GPU.chainPem().getBytes(StandardCharsets.US_ASCII)))));

    VerificationResult result =
        verify(EvidenceInput.of(Json.write(container).getBytes(StandardCharsets.UTF_8)));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("trailing_bytes")).contains(1L);
    assertThat(result.claims().get("nonce")).contains(Hex.encode(NONCE));
  }

  @Test
  void trailingZeroPadding_severalBytes_claimsTheCount_andUnpaddedReportHasNoClaim()
      throws Exception {
    byte[] report = GPU.report(NONCE);
    assertThat(
            verify(input(Arrays.copyOf(report, report.length + 7))).claims().get("trailing_bytes"))
        .contains(7L);
    assertThat(verify(input(report)).claims().get("trailing_bytes")).isEmpty();
  }

  @Test
  void bad_nonZeroTrailingBytes_isMalformed() throws Exception {
    byte[] report = GPU.report(NONCE);
    for (byte[] tail :
        List.of(new byte[] {1}, new byte[] {0, 0, 0x20}, new byte[] {(byte) 0x80, 0})) {
      byte[] padded = Arrays.copyOf(report, report.length + tail.length);
      System.arraycopy(tail, 0, padded, report.length, tail.length);
      VerificationResult result = verify(input(padded));
      assertThat(types(result))
          .as(Hex.encode(tail))
          .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
      assertThat(result.problems().get(0).detail()).contains("follow the signature");
    }
  }

  @Test
  void bad_truncated_isMalformed() throws Exception {
    byte[] report = GPU.report(NONCE);
    for (int length = 0; length < report.length; length += 13) {
      assertThat(types(verify(input(Arrays.copyOf(report, length)))))
          .as("length " + length)
          .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    }
  }

  @Test
  void bad_blockCount_isMalformed() throws Exception {
    byte[] unsigned =
        GpuFixtures.unsigned(
            0x11, NONCE, GpuFixtures.measurements(4), GpuFixtures.opaque(GpuFixtures.FWID));
    unsigned[37 + 4] = 5;
    assertThat(types(verify(input(GpuFixtures.sign(GPU.leafKey.getPrivate(), unsigned)))))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_noChain_isCertificateMissing() throws Exception {
    assertThat(
            types(
                SCHEME.verify(
                    EvidenceInput.of(GPU.report(NONCE)), ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.CERTIFICATE_MISSING);
  }

  @Test
  void bad_untrustedRoot_isChainInvalid() throws Exception {
    GpuFixtures other = new GpuFixtures();
    EvidenceInput input =
        EvidenceInput.of(other.report(NONCE))
            .withCertificates(List.of(other.chainPem().getBytes(StandardCharsets.US_ASCII)));
    assertThat(types(verify(input))).containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_rootOnlyChain_isChainInvalid() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(GPU.report(NONCE)).withCertificates(List.of(GPU.root.getEncoded()));
    assertThat(types(verify(input)).get(0)).isEqualTo(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_leafWithoutFwid_isChainInvalid() throws Exception {
    var leaf = GPU.leaf(GPU.leafKey, null);
    String chain = GpuFixtures.chainPem(leaf, GPU.brom, GPU.ca, GPU.identity, GPU.root);
    EvidenceInput input =
        EvidenceInput.of(GPU.report(NONCE))
            .withCertificates(List.of(chain.getBytes(StandardCharsets.US_ASCII)));
    assertThat(types(verify(input))).containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_fwidMismatch_isMeasurementMismatch() throws Exception {
    byte[] report =
        GpuFixtures.sign(
            GPU.leafKey.getPrivate(),
            GpuFixtures.unsigned(
                0x11,
                NONCE,
                GpuFixtures.measurements(2),
                GpuFixtures.opaque(GpuFixtures.filled(48, 1))));
    assertThat(types(verify(input(report)))).containsExactly(EvidenceProblem.MEASUREMENT_MISMATCH);
  }

  @Test
  void bad_p256Leaf_isUnsupported() throws Exception {
    KeyPair p256 = CertBuilder.ecKeyPair("secp256r1");
    String chain =
        GpuFixtures.chainPem(
            GPU.leaf(p256, GpuFixtures.FWID), GPU.brom, GPU.ca, GPU.identity, GPU.root);
    byte[] unsigned =
        GpuFixtures.unsigned(
            0x11, NONCE, GpuFixtures.measurements(2), GpuFixtures.opaque(GpuFixtures.FWID));
    byte[] padded =
        Arrays.copyOf(GpuFixtures.sign(p256.getPrivate(), unsigned), unsigned.length + 96);
    EvidenceInput input =
        EvidenceInput.of(padded)
            .withCertificates(List.of(chain.getBytes(StandardCharsets.US_ASCII)));
    assertThat(types(verify(input))).contains(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void bad_architecture_isUnsupported() {
    byte[] json =
        "{\"arch\": \"AMPERE\", \"evidence_list\": [{\"evidence\": \"00\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(types(verify(EvidenceInput.of(json))))
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  private static EvidenceInput withRim(byte[] rim) throws Exception {
    return input(GPU.report(NONCE))
        .withCollateral(List.of(new EvidenceInput.Collateral("vbios.swidtag", rim)));
  }

  @Test
  void rim_signedAndMatching_reportsMatch() throws Exception {
    byte[] rim = RIM.sign(RimFixtures.unsignedRim("96.00.9F.00.01", GpuFixtures.measurements(8)));

    VerificationResult result = verify(withRim(rim));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("rim_match.vbios.status")).contains("match");
    assertThat(result.claims().get("rim_match.vbios.matched_indices"))
        .contains(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L));
  }

  @Test
  void rim_withOtherMeasurement_reportsMismatchIndex() throws Exception {
    Map<Integer, byte[]> values = GpuFixtures.measurements(8);
    values.put(3, GpuFixtures.filled(48, 0xee));

    VerificationResult result =
        verify(withRim(RIM.sign(RimFixtures.unsignedRim("96.00.9F.00.01", values))));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("rim_match.vbios.status")).contains("mismatch");
    assertThat(result.claims().get("rim_match.vbios.mismatched_indices")).contains(List.of(2L));
  }

  @Test
  void bad_rimSignature_isCollateralInvalid() throws Exception {
    String signed =
        new String(
            RIM.sign(RimFixtures.unsignedRim("96.00.9F.00.01", GpuFixtures.measurements(8))),
            StandardCharsets.UTF_8);
    byte[] tampered = signed.replace("0303030303", "0303030304").getBytes(StandardCharsets.UTF_8);
    assertThat(types(verify(withRim(tampered))))
        .containsExactly(EvidenceProblem.COLLATERAL_INVALID);
  }

  @Test
  void bad_rimFromOtherSigner_isCollateralInvalid() throws Exception {
    byte[] rim =
        new RimFixtures()
            .sign(RimFixtures.unsignedRim("96.00.9F.00.01", GpuFixtures.measurements(8)));
    assertThat(types(verify(withRim(rim)))).containsExactly(EvidenceProblem.COLLATERAL_INVALID);
  }

  @Test
  void bad_rimUnsigned_isCollateralInvalid() throws Exception {
    byte[] rim =
        RimFixtures.unsignedRim("96.00.9F.00.01", GpuFixtures.measurements(8))
            .getBytes(StandardCharsets.UTF_8);
    assertThat(types(verify(withRim(rim)))).containsExactly(EvidenceProblem.COLLATERAL_INVALID);
  }

  @Test
  void bad_rimForOtherVersion_isCollateralMismatch() throws Exception {
    byte[] rim = RIM.sign(RimFixtures.unsignedRim("96.00.5E.00.01", GpuFixtures.measurements(8)));
    assertThat(types(verify(withRim(rim)))).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
  }

  @Test
  void bad_rimWithDoctype_isCollateralMalformed() throws Exception {
    byte[] rim =
        ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<SoftwareIdentity xmlns=\""
                + ReferenceManifest.SWID_NS
                + "\">&e;</SoftwareIdentity>")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(types(verify(withRim(rim)))).containsExactly(EvidenceProblem.COLLATERAL_MALFORMED);
  }
}
