// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter sbom scan} per CONTRACTS.md: JSON shape and exit codes 0 / 1 / 2. */
class SbomScanCliTest {
  @TempDir Path temp;

  @Test
  void scan_dropwizardAgainstOsvDirectory_fiveFindings_exit1() {
    Path sbom =
        RepoPaths.requireVectors("supplychain/sbom")
            .resolve("cdx-1.2_maven_dropwizard-1.3.15.bom.json");
    CliRun run =
        CliRun.of(
            "sbom",
            "scan",
            "--sbom",
            sbom.toString(),
            "--advisories",
            RepoPaths.requireVectors("supplychain/osv").toString(),
            "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode json = run.json();
    assertThat(json.get("format").asText()).isEqualTo("cyclonedx-1.2");
    assertThat(json.get("components").asInt()).isEqualTo(167);
    assertThat(json.get("findings")).hasSize(5);
    JsonNode first = json.get("findings").get(0);
    assertThat(first.get("purl").asText())
        .isEqualTo("pkg:maven/ch.qos.logback/logback-classic@1.2.3?type=jar");
    assertThat(first.get("version").asText()).isEqualTo("1.2.3");
    assertThat(first.get("osv_id").asText()).isEqualTo("GHSA-vmq6-5m68-f53m");
    assertThat(first.get("severity").asText()).isEqualTo("HIGH");
    assertThat(first.size()).isEqualTo(4);
  }

  @Test
  void scan_repeatedAdvisoriesAndZip_noFindings_exit0() throws IOException {
    Path osv = RepoPaths.requireVectors("supplychain/osv");
    Path zip = temp.resolve("all.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("GO-2021-0113.json"));
      out.write(Files.readAllBytes(osv.resolve("GO-2021-0113.json")));
      out.closeEntry();
    }
    Path sbom =
        RepoPaths.requireVectors("supplychain/sbom")
            .resolve("cdx-1.5_go_minikube-v1.23.1_app.bom.json");
    CliRun run =
        CliRun.of(
            "sbom",
            "scan",
            "--sbom",
            sbom.toString(),
            "--advisories",
            zip.toString(),
            "--advisories",
            osv.resolve("GO-2020-0016.json").toString(),
            "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.json().get("components").asInt()).isEqualTo(136);
    assertThat(run.json().get("findings")).isEmpty();
  }

  @Test
  void scan_malformedSbom_exit2() throws IOException {
    Path bad =
        Files.writeString(
            temp.resolve("bad.json"),
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":{}}");
    Path osv = Files.writeString(temp.resolve("osv.json"), "[]");
    CliRun run =
        CliRun.of("sbom", "scan", "--sbom", bad.toString(), "--advisories", osv.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("sbom-malformed");
  }

  @Test
  void scan_missingFilesOrFlags_exit2() throws IOException {
    assertThat(
            CliRun.of(
                    "sbom",
                    "scan",
                    "--sbom",
                    temp.resolve("none.json").toString(),
                    "--advisories",
                    temp.toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of("sbom", "scan", "--advisories", temp.toString()).exitCode()).isEqualTo(2);
    Path sbom =
        Files.writeString(temp.resolve("s.json"), "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[]}");
    assertThat(
            CliRun.of(
                    "sbom",
                    "scan",
                    "--sbom",
                    sbom.toString(),
                    "--advisories",
                    temp.resolve("missing").toString())
                .exitCode())
        .isEqualTo(2);
    try (OutputStream out = Files.newOutputStream(temp.resolve("junk.zip"))) {
      out.write(new byte[] {'P', 'K', 3, 4, 1, 2, 3});
    }
    CliRun junk =
        CliRun.of(
            "sbom",
            "scan",
            "--sbom",
            sbom.toString(),
            "--advisories",
            temp.resolve("junk.zip").toString());
    assertThat(junk.exitCode()).as(junk.err()).isEqualTo(2);
  }
}
