// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.internal.Hex;
import dev.arbiter.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synthetic CCA tokens through {@code arbiter evidence verify} with trust-anchor list and PEM keys.
 */
class CcaCliTest {
  @TempDir Path dir;

  @Test
  void verify_withAnchorListOrPem_exit0_andWrongChallenge_exit1() throws Exception {
    CcaFixtures fixtures = new CcaFixtures();
    Path token = Files.write(dir.resolve("token.cbor"), fixtures.token());
    Path store =
        Files.write(dir.resolve("ta.json"), fixtures.trustAnchorJson(CcaFixtures.INSTANCE_ID));
    Path pem = Files.write(dir.resolve("cpak.pem"), fixtures.cpakPem());
    for (Path key : new Path[] {store, pem}) {
      CliRun run =
          CliRun.of(
              "evidence",
              "verify",
              "--format",
              "cca",
              "--evidence",
              token.toString(),
              "--key",
              key.toString(),
              "--report-data",
              Hex.encode(CcaFixtures.CHALLENGE),
              "--json");
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.json().get("claims").get("realm").get("rem0").asText())
          .isEqualTo("e0".repeat(32));
    }
    CliRun wrong =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "cca",
            "--evidence",
            token.toString(),
            "--key",
            store.toString(),
            "--report-data",
            "00",
            "--json");
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:report-data-mismatch");
    CliRun text =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "cca",
            "--evidence",
            token.toString(),
            "--key",
            store.toString());
    assertThat(text.exitCode()).isZero();
    assertThat(text.out())
        .contains("cca: valid")
        .contains("realm.challenge = " + Hex.encode(CcaFixtures.CHALLENGE));
  }
}
