// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code arbiter evidence verify --format tpm} over the shared vectors: JSON shape and exit codes.
 */
class TpmCliTest {
  private static Path gce() {
    return RepoPaths.requireVectors("tpm").resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009");
  }

  private static CliRun verify(String bank, String reportData) {
    Path dir = gce();
    return CliRun.of(
        "evidence",
        "verify",
        "--format",
        "tpm",
        "--json",
        "--at",
        "2025-01-01T00:00:00Z",
        "--evidence",
        dir.resolve("quote-" + bank + ".attest").toString(),
        "--signature",
        dir.resolve("quote-" + bank + ".sig").toString(),
        "--pcrs",
        dir.resolve("pcrs-" + bank + ".json").toString(),
        "--key",
        dir.resolve("ak_pub.tpmt").toString(),
        "--report-data",
        reportData);
  }

  @Test
  void gceSha1BankQuote_isValidWithFlatPcrClaims() {
    CliRun run = verify("sha1", "9009");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.path("format").asText()).isEqualTo("tpm");
    assertThat(json.path("verdict").asText()).isEqualTo("valid");
    assertThat(json.path("problems")).isEmpty();
    assertThat(json.path("claims").path("sha1:pcr0").asText())
        .isEqualTo("c032c3b51dbb6f96b047421512fd4b4dfde496f3");
    assertThat(json.path("claims").path("pcrs").path("sha1").path("pcr0").asText())
        .isEqualTo("c032c3b51dbb6f96b047421512fd4b4dfde496f3");
    assertThat(json.path("claims").path("extra_data").asText()).isEqualTo("9009");
  }

  @Test
  void wrongReportData_exitsOneWithTypedProblem() {
    CliRun run = verify("sha256", "9008");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("verdict").asText()).isEqualTo("invalid");
    assertThat(run.json().path("problems").get(0).path("type").asText())
        .isEqualTo(EvidenceProblem.REPORT_DATA_MISMATCH.uri());
  }

  @Test
  void keylimeQuote_withTpm2ToolsFiles_isValidInTextMode() {
    Path dir = RepoPaths.requireVectors("tpm").resolve("keylime");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tpm",
            "--evidence",
            dir.resolve("quote.out").toString(),
            "--signature",
            dir.resolve("quotesig.out").toString(),
            "--pcrs",
            dir.resolve("quotepcr.out").toString(),
            "--key",
            dir.resolve("ak.pub").toString(),
            "--report-data",
            "db1db298db6d60e6385b7231743e9c3056a18003");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("tpm: valid")
        .contains("pcr16 = 9dbb22387e019c04da95477333546082ce313152c4a7f8a6e1d5f0c77f4fb6f0");
  }

  @Test
  void missingEvidenceFile_exitsTwo() {
    CliRun run =
        CliRun.of("evidence", "verify", "--format", "tpm", "--evidence", "/nonexistent/quote");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void goTpmToolsProtobuf_withKey_isValid() {
    Path tpm = RepoPaths.requireVectors("tpm").resolve("go-tpm-tools");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tpm",
            "--json",
            "--evidence",
            tpm.resolve("gce-cos-85-no-nonce.pb").toString(),
            "--key",
            tpm.resolve("extracted/gce-cos-85-no-nonce/ak_pub.tpmt").toString(),
            "--report-data",
            "");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().path("claims").path("quote_count").asLong()).isEqualTo(3);
  }
}
