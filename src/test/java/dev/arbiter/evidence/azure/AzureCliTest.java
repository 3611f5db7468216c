// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Hex;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arbiter evidence verify --format azure-snp-vtpm|azure-tdx-vtpm ... --json} on the real
 * vectors.
 */
class AzureCliTest {
  private static final String AT = "2026-01-01T00:00:00Z";
  private static final String CHALLENGE =
      Hex.encode("challenge".getBytes(StandardCharsets.US_ASCII));
  private static Path dir;

  @BeforeAll
  static void vectors() {
    dir = RepoPaths.requireVectors("azure").resolve("trustee-az-snp-vtpm");
  }

  private static String file(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void verify_trusteeEvidenceJson_printsValidVerdictAndComposedClaims() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            file("evidence-v1.json"),
            "--at",
            AT,
            "--report-data",
            CHALLENGE,
            "--json");

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("format").asText()).isEqualTo("azure-snp-vtpm");
    assertThat(json.get("verdict").asText()).isEqualTo("valid");
    JsonNode claims = json.get("claims");
    assertThat(claims.get("measurement").asText()).startsWith("6a063be9dd79f6371c842e480f8dc3b5");
    assertThat(claims.get("pcr0").asText())
        .isEqualTo("e15c44796beabf46abcec7c57e590942041e47497e4ec27571c8b7664f48dced");
    assertThat(claims.get("extra_data").asText()).isEqualTo(CHALLENGE);
    assertThat(claims.get("vm_configuration").get("vm_unique_id").asText())
        .isEqualTo("26F8BC30-774E-4290-8E7A-535F3B672AEE");
    assertThat(claims.get("reported_tcb").get("microcode").asLong()).isEqualTo(0xdb);
  }

  @Test
  void verify_splitFilesWithJsonQuote_isValid() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            file("hcl-report.bin"),
            "--signature",
            file("tpm-quote-v1.json"),
            "--cert",
            file("vcek.pem"),
            "--at",
            AT,
            "--report-data",
            CHALLENGE,
            "--json");

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.json().get("claims").get("pcr0").asText())
        .isEqualTo("f3a7e99a5f819a034386bce753a48a73cfdaa0bea0ecfc124bedbf5a8c4799be");
  }

  @Test
  void verify_splitFilesWithBincodeQuoteAndOtherNonce_exitsOneWithReportDataMismatch() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            file("hcl-report.bin"),
            "--signature",
            file("quote.bin"),
            "--cert",
            file("vcek.pem"),
            "--at",
            AT,
            "--report-data",
            "00ff",
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("verdict").asText()).isEqualTo("invalid");
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:report-data-mismatch");
  }

  @Test
  void verify_runtimeDataEdited_exitsOneWithKeyBindingInvalid(@TempDir Path temp)
      throws IOException {
    byte[] hcl = Files.readAllBytes(dir.resolve("hcl-report.bin"));
    String text = new String(hcl, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("911B0EF8");
    hcl[at] = '0'; // vmUniqueId: the paravisor did not hash this runtime data
    Path edited = Files.write(temp.resolve("hcl-report.bin"), hcl);
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            edited.toString(),
            "--signature",
            file("tpm-quote-v1.json"),
            "--cert",
            file("vcek.pem"),
            "--at",
            AT,
            "--report-data",
            CHALLENGE,
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems")).hasSize(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:key-binding-invalid");
  }

  @Test
  void verify_pcrsFileThatDoesNotHashToTheQuote_exitsOneWithMeasurementMismatch(@TempDir Path temp)
      throws IOException {
    StringBuilder pcrs = new StringBuilder("{\"sha256\": {");
    for (int i = 0; i < 24; i++) {
      pcrs.append(i == 0 ? "" : ",")
          .append('"')
          .append(i)
          .append("\": \"")
          .append("00".repeat(32))
          .append('"');
    }
    Path file = Files.writeString(temp.resolve("pcrs.json"), pcrs.append("}}").toString());
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            file("evidence-v1.json"),
            "--pcrs",
            file.toString(),
            "--at",
            AT,
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:measurement-mismatch");
  }

  @Test
  void verify_snpEvidenceAsTdx_exitsOneWithUnsupportedVersion() {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-tdx-vtpm",
            "--evidence",
            file("evidence-v1.json"),
            "--at",
            AT,
            "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:unsupported-version");
  }

  @Test
  void verify_missingSignatureFile_exitsTwo(@TempDir Path temp) {
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            file("hcl-report.bin"),
            "--signature",
            temp.resolve("nope").toString(),
            "--json");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void verify_byteArrayAndV2Forms_arePickedByContent(@TempDir Path temp) throws IOException {
    VtpmQuote quote = VtpmQuote.fromBincode(Files.readAllBytes(dir.resolve("quote.bin")));
    String pem = Files.readString(dir.resolve("vcek.pem"));
    String vcek = pem.substring(0, pem.indexOf("-----END CERTIFICATE-----") + 25) + "\n";
    Path byteArray = temp.resolve("evidence-byte-array.json");
    Files.write(
        byteArray,
        AzureFixtures.byteArrayJson(
            "{\"signature\":"
                + AzureFixtures.array(quote.signature())
                + ",\"message\":"
                + AzureFixtures.array(quote.message())
                + ",\"pcrs\":["
                + String.join(",", quote.pcrs().stream().map(AzureFixtures::array).toList())
                + "]}",
            AzureFixtures.array(Files.readAllBytes(dir.resolve("hcl-report.bin"))),
            vcek));
    Path v2 = temp.resolve("evidence-v2.json");
    Files.writeString(
        v2,
        Files.readString(dir.resolve("evidence-v1.json"))
            .replace("\"version\": 1", "\"version\": 2"));

    CliRun valid =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            byteArray.toString(),
            "--at",
            AT,
            "--report-data",
            CHALLENGE,
            "--json");
    CliRun refused =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "azure-snp-vtpm",
            "--evidence",
            v2.toString(),
            "--at",
            AT,
            "--report-data",
            CHALLENGE,
            "--json");

    assertThat(valid.exitCode()).as(valid.err() + valid.out()).isZero();
    assertThat(valid.json().path("claims").path("evidence_form").asText()).isEqualTo("byte-array");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.json().path("claims").path("evidence_form").asText())
        .isEqualTo("trustee-v2");
    assertThat(refused.json().path("problems").findValuesAsText("type"))
        .containsExactly("urn:arbiter:problem:report-data-mismatch");
  }
}
