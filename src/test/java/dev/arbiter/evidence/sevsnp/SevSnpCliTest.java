// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter evidence verify --format sev-snp ... --json} end to end, on real AMD vectors. */
class SevSnpCliTest {
  @Test
  void verify_realMilanReport_printsValidVerdictAndClaims() {
    Path dir = RepoPaths.requireVectors("sev-snp");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "sev-snp",
            "--evidence",
            dir.resolve("go-sev-guest/attestation.bin").toString(),
            "--cert",
            dir.resolve("go-sev-guest/vcek.testcer").toString(),
            "--at",
            "2025-01-01T00:00:00Z",
            "--report-data",
            "0102030405",
            "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("format").asText()).isEqualTo("sev-snp");
    assertThat(json.get("verdict").asText()).isEqualTo("valid");
    assertThat(json.get("problems")).isEmpty();
    JsonNode claims = json.get("claims");
    assertThat(claims.get("measurement").asText())
        .isEqualTo(
            "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01");
    assertThat(claims.get("product").asText()).isEqualTo("milan");
    assertThat(claims.get("signing_key").asText()).isEqualTo("vcek");
    assertThat(claims.get("debug_allowed").asBoolean()).isTrue();
    assertThat(claims.get("reported_tcb").get("microcode").asLong()).isEqualTo(68);
    assertThat(claims.get("revocation").asText()).isEqualTo("unchecked");
  }

  @Test
  void verify_hexTextReportAndRequiredRevocationWithoutCrl_exitsOneWithTypedProblem() {
    Path dir = RepoPaths.requireVectors("sev-snp");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "sev-snp",
            "--evidence",
            dir.resolve("virtee-sev/report_milan.hex").toString(),
            "--cert",
            dir.resolve("virtee-sev/vcek_milan.der").toString(),
            "--at",
            "2025-01-01T00:00:00Z",
            "--require-revocation",
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode json = run.json();
    assertThat(json.get("verdict").asText()).isEqualTo("invalid");
    assertThat(json.get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:revocation-unchecked");
    assertThat(json.get("claims").get("chip_id").asText()).startsWith("d49554ec");
  }

  @Test
  void verify_configfsTsmJsonWithWrongReportData_exitsOne() {
    Path dir = RepoPaths.requireVectors("sev-snp");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "sev-snp",
            "--evidence",
            dir.resolve("veraison-tsm/sevsnp-tsm-report.json").toString(),
            "--at",
            "2026-01-01T00:00:00Z",
            "--report-data",
            "00ff",
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:report-data-mismatch");
    assertThat(run.json().get("claims").get("product").asText()).isEqualTo("genoa");
  }

  @Test
  void verify_garbageEvidence_exitsOneWithEvidenceMalformed(@TempDir Path temp) throws IOException {
    Path evidence = Files.write(temp.resolve("junk.bin"), new byte[] {1, 2, 3, (byte) 0xff});
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "sev-snp",
            "--evidence",
            evidence.toString(),
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:evidence-malformed");
  }

  @Test
  void verify_missingEvidenceFile_exitsTwo(@TempDir Path temp) {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "sev-snp",
            "--evidence",
            temp.resolve("nope").toString(),
            "--json");
    assertThat(run.exitCode()).isEqualTo(2);
  }
}
