// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.SupplyChainFixture.Builder;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supply-chain commands through the CLI: set-supply-chain, register with provenance and SBOM,
 * check, advisories.
 */
class SupplyChainCliTest {
  private static final TestServer server = TestServer.shared();

  @Test
  void cli_registerCheckImport_exitCodesAndOutput(@TempDir Path dir) throws Exception {
    Builder builder = Builder.create("https://builders.test/cli@v1");
    String data = server.dataDir().toString();
    assertThat(CliRun.of("workload", "create", "sc-cli", "--data-dir", data).exitCode()).isZero();
    Files.writeString(
        dir.resolve("policy.json"),
        Json.write(
            Map.of(
                "builder_ids",
                List.of(builder.id()),
                "keys",
                List.of(builder.publicPem()),
                "quorum",
                1,
                "derive",
                Map.of("scheme", "sample", "claim", "measurement"))));
    CliRun set =
        CliRun.of(
            "workload",
            "set-supply-chain",
            "--workload",
            "sc-cli",
            "--file",
            dir.resolve("policy.json").toString(),
            "--reason",
            "CAB-7",
            "--data-dir",
            data);
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).contains("builder_ids");

    String sha = SupplyChainFixture.artifact("cli");
    Files.write(dir.resolve("prov.dsse.json"), builder.provenance(sha, SupplyChainFixture.REPO));
    Files.write(
        dir.resolve("sbom.cdx.json"),
        SupplyChainFixture.sbom(sha, List.of("pkg:npm/sc-cli-lib@3.0.0")));
    CliRun register =
        CliRun.of(
            "version",
            "register",
            "--workload",
            "sc-cli",
            "--version",
            "3.0.0",
            "--digest",
            "sha256:" + sha,
            "--provenance",
            dir.resolve("prov.dsse.json").toString(),
            "--sbom",
            dir.resolve("sbom.cdx.json").toString(),
            "--data-dir",
            data);
    assertThat(register.exitCode()).as(register.err()).isZero();
    assertThat(register.out()).contains("registered sc-cli@3.0.0");

    CliRun check =
        CliRun.of(
            "version",
            "check",
            "--workload",
            "sc-cli",
            "--version",
            "3.0.0",
            "--data-dir",
            data,
            "--json");
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.json().path("admissible").asBoolean()).isTrue();
    assertThat(check.json().path("provenance").get(0).path("builder_id").asText())
        .isEqualTo(builder.id());

    CliRun unsigned =
        CliRun.of(
            "version",
            "register",
            "--workload",
            "sc-cli",
            "--version",
            "3.0.1",
            "--digest",
            "sha256:" + sha,
            "--sbom",
            dir.resolve("sbom.cdx.json").toString(),
            "--data-dir",
            data);
    assertThat(unsigned.exitCode()).isEqualTo(1);
    assertThat(unsigned.err()).contains("provenance-quorum-not-met");

    Path advisories = Files.createDirectories(dir.resolve("osv"));
    Files.writeString(
        advisories.resolve("a.json"),
        Json.write(
            SupplyChainFixture.osv(
                "GHSA-sc00-clid-0001", "sc-cli-lib", "3.0.1", SupplyChainFixture.CRITICAL)));
    Files.writeString(
        advisories.resolve("b.json"),
        Json.write(
            List.of(
                SupplyChainFixture.osv(
                    "GHSA-sc00-clid-0002", "sc-cli-other", "1.0.0", SupplyChainFixture.MEDIUM))));
    CliRun imported = CliRun.of("advisories", "import", advisories.toString(), "--data-dir", data);
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out())
        .contains("imported 2 record(s)")
        .contains("sc-cli@3.0.0: GHSA-sc00-clid-0001");

    Path zip = dir.resolve("osv.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream zipped = new ZipOutputStream(out)) {
      zipped.putNextEntry(new ZipEntry("npm/GHSA-sc00-clid-0003.json"));
      zipped.write(
          Json.write(
                  SupplyChainFixture.osv(
                      "GHSA-sc00-clid-0003", "sc-cli-lib", "2.0.0", SupplyChainFixture.MEDIUM))
              .getBytes());
      zipped.closeEntry();
    }
    CliRun fromZip =
        CliRun.of("advisories", "import", zip.toString(), "--data-dir", data, "--json");
    assertThat(fromZip.exitCode()).as(fromZip.err()).isZero();
    assertThat(fromZip.json().path("stored").asInt()).isEqualTo(1);

    CliRun list = CliRun.of("advisories", "list", "--data-dir", data);
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains("advisories").contains("osv.zip");

    CliRun failing =
        CliRun.of(
            "version", "check", "--workload", "sc-cli", "--version", "3.0.0", "--data-dir", data);
    assertThat(failing.exitCode()).isEqualTo(1);
    assertThat(failing.out())
        .contains("NOT ADMISSIBLE")
        .contains("vulnerability-blocking: GHSA-sc00-clid-0001");

    Files.writeString(dir.resolve("bad.json"), "{\"cel\": \"provenance.\"}");
    CliRun bad =
        CliRun.of(
            "workload",
            "set-supply-chain",
            "--workload",
            "sc-cli",
            "--file",
            dir.resolve("bad.json").toString(),
            "--data-dir",
            data);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("invalid-cel");
  }
}
