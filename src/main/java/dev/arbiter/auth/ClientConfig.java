// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <data-dir>/client.json}, written by {@code serve} on first start (fixed by CONTRACTS.md):
 * the server URL, the CA certificate path and the operator client certificate and key paths.
 * Relative paths are relative to the file's directory.
 */
public record ClientConfig(
    @JsonProperty("server") String server,
    @JsonProperty("ca") String ca,
    @JsonProperty("cert") String cert,
    @JsonProperty("key") String key) {

  public static ClientConfig read(Path file) throws IOException {
    return Json.mapper().readValue(Files.readAllBytes(file), ClientConfig.class);
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, Json.writePretty(this) + "\n", StandardCharsets.UTF_8);
  }

  public Path resolve(Path file, String path) {
    Path candidate = Path.of(path);
    return candidate.isAbsolute()
        ? candidate
        : file.toAbsolutePath().getParent().resolve(candidate);
  }
}
