// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.internal.Hex;
import dev.arbiter.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synthetic PSA tokens through {@code arbiter evidence verify}: evidence forms, exit codes, JSON
 * shape.
 */
class PsaCliTest {
  @TempDir Path dir;

  @Test
  void verify_rawHexAndBase64Evidence_exit0_withJsonShape() throws Exception {
    byte[] token = PsaSchemeTest.sign(PsaSchemeTest.claims2());
    Path key = Files.write(dir.resolve("iak.pem"), PsaSchemeTest.PEM);
    Path raw = Files.write(dir.resolve("token.cbor"), token);
    Path hex = Files.writeString(dir.resolve("token.hex"), Hex.encode(token) + "\n");
    Path b64 =
        Files.writeString(
            dir.resolve("token.b64"),
            Base64.getEncoder().encodeToString(token),
            StandardCharsets.US_ASCII);
    for (Path evidence : new Path[] {raw, hex, b64}) {
      CliRun run =
          CliRun.of(
              "evidence",
              "verify",
              "--format",
              "psa",
              "--evidence",
              evidence.toString(),
              "--key",
              key.toString(),
              "--report-data",
              Hex.encode(PsaSchemeTest.NONCE),
              "--json");
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.json().get("format").asText()).isEqualTo("psa");
      assertThat(run.json().get("verdict").asText()).isEqualTo("valid");
      assertThat(run.json().get("problems")).isEmpty();
      assertThat(
              run.json()
                  .get("claims")
                  .get("software_components")
                  .get(0)
                  .get("measurement_type")
                  .asText())
          .isEqualTo("BL");
    }
  }

  @Test
  void verify_badToken_exit1_missingFile_exit2() throws Exception {
    Path key = Files.write(dir.resolve("iak.pem"), PsaSchemeTest.PEM);
    Path garbage =
        Files.write(dir.resolve("garbage.bin"), new byte[] {(byte) 0xd2, (byte) 0x84, 0x40});
    CliRun bad =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            garbage.toString(),
            "--key",
            key.toString(),
            "--json");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:evidence-malformed");
    CliRun missing =
        CliRun.of(
            "evidence", "verify", "--format", "psa", "--evidence", dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
  }
}
