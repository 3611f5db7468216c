// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.ClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How TEE-side commands find the server and the CA to trust (CONTRACTS.md): {@code --server}, then
 * {@code ARBITER_SERVER}, then client.json's server; {@code --ca}, then client.json's CA, where
 * client.json is found by {@code --data-dir}, {@code ARBITER_DATA_DIR} or {@code ./arbiter-data}.
 * No client certificate is presented.
 */
public final class TeeOptions {
  @Option(names = "--server", description = "Server URL (default: $ARBITER_SERVER, else from client.json).")
  String server;

  @Option(names = "--ca", description = "CA certificate (PEM) to trust for the server (default: from client.json).")
  Path ca;

  @Option(names = "--data-dir", description = "Data directory holding client.json (default: $ARBITER_DATA_DIR or ./arbiter-data).")
  Path dataDir;

  public ApiClient client() {
    String url = server;
    if (url == null) {
      String env = System.getenv("ARBITER_SERVER");
      url = env != null && !env.isBlank() ? env : null;
    }
    Path trusted = ca;
    if (url == null || trusted == null) {
      Path file = dataDir().resolve("client.json");
      if (!Files.isRegularFile(file)) {
        throw CliException.usage("no client configuration at " + file + " (pass --server and --ca, or --data-dir)");
      }
      try {
        ClientConfig config = ClientConfig.read(file);
        url = url != null ? url : config.server();
        trusted = trusted != null ? trusted : config.resolve(file, config.ca());
      } catch (IOException e) {
        throw CliException.usage("cannot read " + file + ": " + e.getMessage());
      }
    }
    return ApiClient.withoutClientCertificate(url, trusted);
  }

  private Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String env = System.getenv("ARBITER_DATA_DIR");
    return env != null && !env.isBlank() ? Path.of(env) : dev.arbiter.auth.DataDir.DEFAULT;
  }
}
