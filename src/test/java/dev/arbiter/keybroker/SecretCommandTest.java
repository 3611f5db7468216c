// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code secret} CLI against a real server: operator commands and the TEE-side {@code secret
 * get}.
 */
class SecretCommandTest {
  private final KeyBrokerFixture kb = new KeyBrokerFixture(TestServer.shared());
  private final String dataDir = kb.server.dataDir().toString();

  @Test
  void cli_putListGetRotateDelete_endToEnd(@TempDir Path dir) throws Exception {
    kb.workload("kb-cli");
    Path value = Files.writeString(dir.resolve("value.txt"), "cli-secret-value\n");
    CliRun put =
        CliRun.of(
            "secret",
            "put",
            "kb-cli-token",
            "--workload",
            "kb-cli",
            "--file",
            value.toString(),
            "--release-policy",
            "status == 'affirming' && workload == 'kb-cli'",
            "--reason",
            "initial",
            "--data-dir",
            dataDir);
    assertThat(put.exitCode()).as(put.err()).isZero();
    assertThat(put.out()).contains("stored kb-cli-token").doesNotContain("cli-secret-value");

    CliRun list = CliRun.of("secret", "list", "--json", "--data-dir", dataDir);
    assertThat(list.exitCode()).isZero();
    assertThat(list.json().path("secrets").findValuesAsText("name")).contains("kb-cli-token");
    assertThat(list.out()).doesNotContain("cli-secret-value");

    ECKey teeKey = KeyBrokerFixture.newKey();
    Path keyFile = Files.writeString(dir.resolve("tee-key.jwk"), teeKey.toJSONString());
    Path tokenFile =
        Files.writeString(
            dir.resolve("ear.jwt"), kb.ear("kb-cli", "1.0", EarStatus.AFFIRMING, teeKey) + "\n");
    Path out = dir.resolve("out.bin");
    CliRun get =
        CliRun.of(
            "secret",
            "get",
            "kb-cli-token",
            "--token",
            tokenFile.toString(),
            "--key",
            keyFile.toString(),
            "--data-dir",
            dataDir,
            "--out",
            out.toString());
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(Files.readString(out)).isEqualTo("cli-secret-value\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");

    CliRun toStdout =
        CliRun.of(
            "secret",
            "get",
            "kb-cli-token",
            "--token",
            tokenFile.toString(),
            "--key",
            keyFile.toString(),
            "--server",
            kb.server.uri().toString(),
            "--ca",
            kb.server.dataDir().resolve("ca.pem").toString());
    assertThat(toStdout.exitCode()).as(toStdout.err()).isZero();
    assertThat(toStdout.out()).isEqualTo("cli-secret-value\n");

    Path otherToken =
        Files.writeString(
            dir.resolve("other.jwt"), kb.ear("kb-elsewhere", "1.0", EarStatus.AFFIRMING, teeKey));
    CliRun refused =
        CliRun.of(
            "secret",
            "get",
            "kb-cli-token",
            "--token",
            otherToken.toString(),
            "--key",
            keyFile.toString(),
            "--data-dir",
            dataDir);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("release-refused");
    assertThat(refused.out()).isEmpty();

    ECKey wrongKey = KeyBrokerFixture.newKey();
    Path wrongKeyFile = Files.writeString(dir.resolve("wrong.jwk"), wrongKey.toJSONString());
    CliRun wrong =
        CliRun.of(
            "secret",
            "get",
            "kb-cli-token",
            "--token",
            tokenFile.toString(),
            "--key",
            wrongKeyFile.toString(),
            "--data-dir",
            dataDir);
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.err()).contains("release-refused");

    Path publicOnly =
        Files.writeString(dir.resolve("public.jwk"), teeKey.toPublicJWK().toJSONString());
    CliRun usage =
        CliRun.of(
            "secret",
            "get",
            "kb-cli-token",
            "--token",
            tokenFile.toString(),
            "--key",
            publicOnly.toString(),
            "--data-dir",
            dataDir);
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).contains("private EC JWK");

    Path newValue = Files.write(dir.resolve("new.bin"), "rotated".getBytes(StandardCharsets.UTF_8));
    CliRun rotate =
        CliRun.of(
            "secret",
            "rotate",
            "kb-cli-token",
            "--file",
            newValue.toString(),
            "--reason",
            "rotation",
            "--data-dir",
            dataDir);
    assertThat(rotate.exitCode()).as(rotate.err()).isZero();
    assertThat(rotate.out()).contains("version=2");
    CliRun setPolicy =
        CliRun.of(
            "secret",
            "set-policy",
            "kb-cli-token",
            "--release-policy",
            "status ==",
            "--reason",
            "x",
            "--data-dir",
            dataDir);
    assertThat(setPolicy.exitCode()).isEqualTo(1);
    assertThat(setPolicy.err()).contains("invalid-cel");
    CliRun delete =
        CliRun.of("secret", "delete", "kb-cli-token", "--reason", "done", "--data-dir", dataDir);
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(
            CliRun.of("secret", "list", "--json", "--data-dir", dataDir)
                .json()
                .path("secrets")
                .findValuesAsText("name"))
        .doesNotContain("kb-cli-token");
  }
}
