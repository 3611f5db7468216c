// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter evidence verify --format nvidia-gpu} over the shared vectors. */
class NvidiaGpuCliTest {
  private static Path vectors() {
    return RepoPaths.requireVectors("nvidia-gpu");
  }

  @Test
  void hopperReport_hexTextWithPemChain_isValid() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nvidia-gpu",
            "--json",
            "--at",
            "2025-01-01T00:00:00Z",
            "--evidence",
            vectors().resolve("nvtrust/hopperAttestationReport.txt").toString(),
            "--cert",
            vectors().resolve("nvtrust/hopperCertChain.txt").toString(),
            "--report-data",
            "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().path("claims").path("driver_version").asText()).isEqualTo("550.90.07");
    assertThat(run.json().path("claims").path("measurements").path("2").asText())
        .isEqualTo(
            "8048dfd18fe229bf16eb9d30cca0f11a24dafe6eb731de1462984645a0b189b77c4e4e17de727a5e19e3d07de51da338");
  }

  @Test
  void report2023_withRimDirectory_reportsRimMatch() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nvidia-gpu",
            "--json",
            "--at",
            "2025-01-01T00:00:00Z",
            "--evidence",
            vectors().resolve("nvtrust/2023-attestationReport.txt").toString(),
            "--cert",
            vectors().resolve("nvtrust/2023-gpuAkCertChain.txt").toString(),
            "--collateral",
            vectors().resolve("nvtrust/1010_0200_882_96005E0001_PROD.swidtag").toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().path("claims").path("rim_match").path("vbios").path("signature").asText())
        .isEqualTo("valid");
  }

  @Test
  void trusteeBadChain_exitsOneWithChainInvalid() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nvidia-gpu",
            "--json",
            "--at",
            "2025-01-01T00:00:00Z",
            "--evidence",
            vectors().resolve("nvtrust/hopperAttestationReport.txt").toString(),
            "--cert",
            vectors().resolve("trustee/bad-hopper_cert_chain_case3.txt").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("problems").get(0).path("type").asText())
        .isEqualTo(EvidenceProblem.CERTIFICATE_CHAIN_INVALID.uri());
  }

  @Test
  void blackwellEvidenceJson_isReadByContent_andItsTestChainIsNotNvidias(@TempDir Path dir)
      throws Exception {
    // The built-in scheme trusts only NVIDIA's root: a test-PKI Blackwell report is read as
    // Blackwell (from its JSON and chain) and refused for its chain alone.
    GpuFixtures gpu = GpuFixtures.blackwell();
    byte[] nonce = GpuFixtures.filled(32, 7);
    Path evidence = dir.resolve("gb100.json");
    Files.writeString(
        evidence,
        dev.arbiter.internal.Json.write(
            Map.of(
                "evidence_list",
                List.of(
                    Map.of(
                        "arch",
                        "BLACKWELL",
                        "evidence",
                        Base64.getEncoder().encodeToString(gpu.report(nonce)),
                        "certificate",
                        Base64.getEncoder()
                            .encodeToString(
                                gpu.chainPem().getBytes(StandardCharsets.US_ASCII)))))));

    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nvidia-gpu",
            "--json",
            "--evidence",
            evidence.toString(),
            "--report-data",
            dev.arbiter.internal.Hex.encode(nonce));

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.json().path("claims").path("architecture").asText()).isEqualTo("BLACKWELL");
    assertThat(run.json().path("claims").path("hwmodel").asText()).isEqualTo("GB100 A01 GSP BROM");
    assertThat(run.json().path("problems").findValuesAsText("type"))
        .containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID.uri());
  }
}
