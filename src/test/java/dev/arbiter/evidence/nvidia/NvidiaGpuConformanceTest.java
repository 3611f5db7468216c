// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared NVIDIA H100 vectors (nvtrust reports, RIM, Trustee negative chains) per their
 * MANIFEST.
 */
class NvidiaGpuConformanceTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z"));
  private static final NvidiaGpuScheme SCHEME = NvidiaGpuScheme.withPinnedRoots();

  private static Path vectors() {
    return RepoPaths.requireVectors("nvidia-gpu");
  }

  private static byte[] read(String relative) throws Exception {
    return Files.readAllBytes(vectors().resolve(relative));
  }

  private static byte[] report(String relative) throws Exception {
    return Hex.decode(new String(read(relative), StandardCharsets.US_ASCII).strip());
  }

  private static JsonNode expected(String name) throws Exception {
    return Json.readTree(read("nvtrust/expected.json")).path("vectors").path(name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "hopperAttestationReport.txt, hopperCertChain.txt",
    "2023-attestationReport.txt, 2023-gpuAkCertChain.txt"
  })
  void nvtrustReport_withItsChain_verifiesWithManifestFacts(String reportFile, String chainFile)
      throws Exception {
    JsonNode expected = expected(reportFile);
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/" + reportFile))
            .withCertificates(List.of(read("nvtrust/" + chainFile)));

    VerificationResult result =
        SCHEME.verify(
            input,
            ExpectedBinding.exactly(Hex.decode(expected.path("request_nonce").asText())),
            AT);

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("nonce")).contains(expected.path("request_nonce").asText());
    assertThat(claims.get("responder_nonce")).contains(expected.path("response_nonce").asText());
    assertThat(claims.get("driver_version"))
        .contains(expected.path("opaque").path("driver_version").asText());
    assertThat(claims.get("vbios_version").orElseThrow().toString())
        .isEqualToIgnoringCase(expected.path("opaque").path("vbios_version").asText());
    assertThat(claims.get("project")).contains("1010");
    assertThat(claims.get("project_sku")).contains("0200");
    assertThat(claims.get("chip_sku")).contains("882");
    for (int i = 1; i <= 64; i++) {
      assertThat(claims.get("measurements." + i))
          .as("measurement " + i)
          .contains(expected.path("measurements").path(Integer.toString(i)).asText());
    }
    assertThat(claims.get("device_certificate.subject").orElseThrow().toString())
        .contains("GSP FMC LF");
    assertThat(claims.get("device_certificate.chain_length")).contains(5L);
    assertThat(claims.get("revocation")).contains("unchecked");
  }

  @Test
  void hopperReport_claimsEqualTrusteeExpectedClaims() throws Exception {
    JsonNode trustee = Json.readTree(read("trustee/hopperAttestationReport-claims.txt"));
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/hopperAttestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/hopperCertChain.txt")));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems()).isEmpty();
    trustee
        .path("config")
        .fields()
        .forEachRemaining(field -> {
          if (field.getKey().equals("measurement_count")) {
            field
                .getValue()
                .fields()
                .forEachRemaining(count ->
                    assertThat(result.claims().get("measurement_count." + count.getKey()))
                        .as(count.getKey())
                        .contains(count.getValue().asLong()));
          } else {
            assertThat(result.claims().get(field.getKey()))
                .as(field.getKey())
                .contains(field.getValue().asText());
          }
        });
    trustee
        .path("measurements")
        .fields()
        .forEachRemaining(m ->
            assertThat(result.claims().get("measurements." + m.getKey()))
                .contains(m.getValue().asText()));
    assertThat(result.claims().get("device_certificate.fwid"))
        .contains(trustee.path("config").path("fwid").asText());
    // The generation as NVIDIA's SDK names it (hwmodel = the BROM certificate's CN) and the ids of
    // the RIMs that apply (nvtrust names the VBIOS RIM 1010_0200_882_<VBIOS>_PROD).
    assertThat(result.claims().get("architecture")).contains("HOPPER");
    assertThat(result.claims().get("hwmodel")).contains("GH100 A01 GSP BROM");
    assertThat(result.claims().get("rim_ids.driver")).contains("NV_GPU_DRIVER_GH100_550.90.07");
    assertThat(result.claims().get("rim_ids.vbios"))
        .contains("NV_GPU_VBIOS_1010_0200_882_96009F0001");
  }

  @Test
  void trusteeEvidenceJson_verifiesWithUuid() throws Exception {
    String json =
        Json.write(
            Map.of(
                "device_evidence_list",
                List.of(
                    Map.of(
                        "arch",
                        "HOPPER",
                        "uuid",
                        "1111-2222-33333-444444-555555",
                        "evidence",
                        new String(
                                read("nvtrust/hopperAttestationReport.txt"),
                                StandardCharsets.US_ASCII)
                            .strip(),
                        "certificate",
                        Base64.getEncoder().encodeToString(read("nvtrust/hopperCertChain.txt"))))));

    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(json.getBytes(StandardCharsets.UTF_8)),
            ExpectedBinding.exactly(
                Hex.decode(expected("hopperAttestationReport.txt").path("request_nonce").asText())),
            AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("uuid")).contains("1111-2222-33333-444444-555555");
  }

  @Test
  void report2023_withVbiosRim_reportsManifestMatchAndMismatchIndices() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/2023-attestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/2023-gpuAkCertChain.txt")))
            .withCollateral(
                List.of(
                    new EvidenceInput.Collateral(
                        "vbios.swidtag", read("nvtrust/1010_0200_882_96005E0001_PROD.swidtag"))));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems()).isEmpty();
    JsonNode rim = expected("2023-attestationReport.txt").path("vbios_rim");
    assertThat(result.claims().get("rim_match.vbios.signature")).contains("valid");
    assertThat(result.claims().get("rim_match.vbios.status")).contains("mismatch");
    assertThat(result.claims().get("rim_match.vbios.matched_indices"))
        .contains(
            Json.mapper().convertValue(rim.path("active_indices_matching"), List.class).stream()
                .map(o -> ((Number) o).longValue())
                .toList());
    assertThat(result.claims().get("rim_match.vbios.mismatched_indices"))
        .contains(
            Json.mapper().convertValue(rim.path("active_indices_not_matching"), List.class).stream()
                .map(o -> ((Number) o).longValue())
                .toList());
  }

  @Test
  void vbiosRim_afterItsSigningChainExpired_isCollateralExpired() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/2023-attestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/2023-gpuAkCertChain.txt")))
            .withCollateral(
                List.of(
                    new EvidenceInput.Collateral(
                        "vbios.swidtag", read("nvtrust/1010_0200_882_96005E0001_PROD.swidtag"))));

    VerificationResult result =
        SCHEME.verify(
            input,
            ExpectedBinding.none(),
            VerificationContext.at(Instant.parse("2025-07-01T00:00:00Z")));

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.COLLATERAL_EXPIRED);
  }

  @Test
  void vbiosRim_tamperedMeasurement_isCollateralInvalid() throws Exception {
    String rim =
        new String(read("nvtrust/1010_0200_882_96005E0001_PROD.swidtag"), StandardCharsets.UTF_8)
            .replace("73bbf35822549e28ba8fb2671fb7b58f", "73bbf35822549e28ba8fb2671fb7b580");
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/2023-attestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/2023-gpuAkCertChain.txt")))
            .withCollateral(
                List.of(
                    new EvidenceInput.Collateral(
                        "vbios.swidtag", rim.getBytes(StandardCharsets.UTF_8))));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.COLLATERAL_INVALID);
  }

  @Test
  void hopperReport_withRimForAnotherVbios_isCollateralMismatch() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/hopperAttestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/hopperCertChain.txt")))
            .withCollateral(
                List.of(
                    new EvidenceInput.Collateral(
                        "vbios.swidtag", read("nvtrust/1010_0200_882_96005E0001_PROD.swidtag"))));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bad-hopper_cert_chain_case2.txt",
    "bad-hopper_cert_chain_case3.txt",
    "bad-hopper_cert_chain_case4.txt"
  })
  void trusteeBadChain_isCertificateChainInvalid(String chainFile) throws Exception {
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/hopperAttestationReport.txt"))
            .withCertificates(List.of(read("trustee/" + chainFile)));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.none(), AT);

    assertThat(result.valid()).isFalse();
    assertThat(result.problems().get(0).type())
        .isEqualTo(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void hopperReport_wrongNonce_isReportDataMismatch() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/hopperAttestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/hopperCertChain.txt")));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.exactly(new byte[32]), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void hopperReport_withAnotherGpusChain_isSignatureInvalid() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(report("nvtrust/hopperAttestationReport.txt"))
            .withCertificates(List.of(read("nvtrust/2023-gpuAkCertChain.txt")));

    VerificationResult result = SCHEME.verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .contains(EvidenceProblem.SIGNATURE_INVALID);
  }
}
