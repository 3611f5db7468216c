// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.sgx.SgxScheme;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.internal.Hex;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter evidence verify --format tdx|sgx} end to end (the fixed CLI contract). */
class DcapEvidenceCliTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private static final SchemeRegistry PRODUCTION = EvidenceCommand.Verify.registry;

  @TempDir Path dir;

  @AfterEach
  void restore() {
    EvidenceCommand.Verify.registry = PRODUCTION;
  }

  private void useTestRoots() {
    EvidenceCommand.Verify.registry =
        BuiltInSchemes.registry()
            .with(new TdxScheme(FIXTURES.trust()))
            .with(new SgxScheme(FIXTURES.trust()));
  }

  private Path collateralDir(boolean tdx) throws IOException {
    Path collateral =
        Files.createDirectories(dir.resolve(tdx ? "tdx-collateral" : "sgx-collateral"));
    for (EvidenceInput.Collateral file : FIXTURES.collateral(tdx)) {
      Files.write(collateral.resolve(file.name()), file.bytes());
    }
    return collateral;
  }

  @Test
  void tdx_validHexQuoteWithCollateralDirectory_exitsZeroWithClaims() throws IOException {
    useTestRoots();
    byte[] reportData = DcapFixtures.filled(64, 0x3c);
    Path quote =
        Files.writeString(
            dir.resolve("quote.hex"),
            Hex.encode(FIXTURES.tdxQuote().reportData(reportData).build()));

    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tdx",
            "--evidence",
            quote.toString(),
            "--collateral",
            collateralDir(true).toString(),
            "--at",
            DcapFixtures.NOW.toString(),
            "--report-data",
            Hex.encode(reportData).toUpperCase(java.util.Locale.ROOT),
            "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("format").asText()).isEqualTo("tdx");
    assertThat(json.get("verdict").asText()).isEqualTo("valid");
    assertThat(json.get("claims").get("tcb_status").asText()).isEqualTo("UpToDate");
    assertThat(json.get("claims").get("report_data").asText()).isEqualTo(Hex.encode(reportData));
    assertThat(json.get("problems")).isEmpty();
  }

  @Test
  void sgx_wrongReportData_exitsOneWithProblem() throws IOException {
    useTestRoots();
    Path quote = Files.write(dir.resolve("quote.bin"), FIXTURES.sgxQuote().build());

    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "sgx",
            "--evidence",
            quote.toString(),
            "--at",
            DcapFixtures.NOW.toString(),
            "--report-data",
            "ff",
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("verdict").asText()).isEqualTo("invalid");
    assertThat(run.json().get("claims").get("revocation").asText()).isEqualTo("unchecked");
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:report-data-mismatch");
  }

  @Test
  void tdx_requireRevocationWithoutCrl_exitsOne() throws IOException {
    useTestRoots();
    Path quote = Files.write(dir.resolve("quote.bin"), FIXTURES.tdxQuote().build());
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tdx",
            "--evidence",
            quote.toString(),
            "--at",
            DcapFixtures.NOW.toString(),
            "--require-revocation",
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:revocation-unchecked");
  }

  @Test
  void tdx_missingEvidenceFile_exitsTwo() {
    CliRun run =
        CliRun.of(
            "evidence", "verify", "--format", "tdx", "--evidence", dir.resolve("nope").toString());
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void tdx_sharedVectorWithPinnedRoot_isValidAndOutOfDate() {
    Path vectors = RepoPaths.requireVectors("tdx");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tdx",
            "--evidence",
            vectors.resolve("zkdcap/quote_tdx_00806f050000.dat").toString(),
            "--collateral",
            vectors.resolve("zkdcap").toString(),
            "--at",
            "2025-01-21T13:44:20Z",
            "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode claims = run.json().get("claims");
    assertThat(claims.get("tcb_status").asText()).isEqualTo("OutOfDate");
    assertThat(claims.get("mr_td").asText()).startsWith("935be7742dd89c6a");
    assertThat(claims.get("advisory_ids")).hasSize(3);
  }

  @Test
  void sgx_sharedVectorWithStaleCrl_exitsOneUnlessAllowed() {
    Path vectors = RepoPaths.requireVectors("sgx").resolve("mobilecoin-attestation");
    String[] base = {
      "evidence",
      "verify",
      "--format",
      "sgx",
      "--evidence",
      vectors.resolve("hw_quote.dat").toString(),
      "--collateral",
      vectors.resolve("fmspc_00906ED50000_2023_07_12.json").toString(),
      "--collateral",
      vectors.resolve("qe_identity.json").toString(),
      "--collateral",
      vectors.resolve("tcb_signer.pem").toString(),
      "--collateral",
      vectors.resolve("processor_crl.der").toString(),
      "--collateral",
      vectors.resolve("root_crl.der").toString(),
      "--at",
      "2023-07-12T20:48:25Z",
      "--json"
    };
    CliRun strict = CliRun.of(base);
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:crl-stale");
    String[] relaxed = java.util.Arrays.copyOf(base, base.length + 1);
    relaxed[base.length] = "--allow-stale-crl";
    CliRun run = CliRun.of(relaxed);
    assertThat(run.exitCode()).isZero();
    assertThat(run.json().get("claims").get("tcb_status").asText()).isEqualTo("SWHardeningNeeded");
  }
}
