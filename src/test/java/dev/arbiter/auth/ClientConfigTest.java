// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client.json}: written by serve, read by the CLI; relative paths resolve beside the file.
 */
class ClientConfigTest {
  @Test
  void write_thenRead_roundTrips(@TempDir Path dir) throws Exception {
    ClientConfig config =
        new ClientConfig(
            "https://127.0.0.1:8443", "ca.pem", "clients/operator.pem", "/abs/operator-key.pem");
    Path file = dir.resolve("client.json");
    config.write(file);

    assertThat(ClientConfig.read(file)).isEqualTo(config);
    assertThat(Files.readString(file))
        .contains("\"server\"")
        .contains("\"ca\"")
        .contains("\"cert\"")
        .contains("\"key\"");
  }

  @Test
  void resolve_relativeBesideTheFile_absoluteAsIs(@TempDir Path dir) {
    ClientConfig config =
        new ClientConfig("https://h", "ca.pem", "clients/operator.pem", "/abs/key.pem");
    Path file = dir.resolve("client.json");

    assertThat(config.resolve(file, config.ca())).isEqualTo(dir.toAbsolutePath().resolve("ca.pem"));
    assertThat(config.resolve(file, config.cert()))
        .isEqualTo(dir.toAbsolutePath().resolve("clients/operator.pem"));
    assertThat(config.resolve(file, config.key())).isEqualTo(Path.of("/abs/key.pem"));
  }

  @Test
  void read_unknownMember_refused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.json");
    Files.writeString(
        file,
        "{\"server\": \"https://h\", \"ca\": \"ca.pem\", \"cert\": \"c.pem\", \"key\": \"k.pem\","
            + " \"extra\": 1}");

    assertThatThrownBy(() -> ClientConfig.read(file)).isInstanceOf(IOException.class);
  }
}
