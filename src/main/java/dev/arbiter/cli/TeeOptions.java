// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.ClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How TEE-side commands ({@code attest}, {@code sample-tee}, {@code challenge}, {@code secret get})
 * reach the server: no client certificate; the server URL from {@code --server}, {@code
 * ARBITER_SERVER} or client.json; the CA from {@code --ca} or client.json.
 */
public final class TeeOptions {
  @Option(names = "--server", description = "Server URL (default: $ARBITER_SERVER or client.json).")
  String server;

  @Option(names = "--ca", description = "CA certificate to trust (default: the data directory's).")
  Path ca;

  @Option(
      names = "--data-dir",
      description =
          "Data directory with client.json (default: $ARBITER_DATA_DIR or ./arbiter-data).")
  Path dataDir;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  public boolean json() {
    return json;
  }

  public ApiClient client() {
    Path dir = ClientOptions.resolveDataDir(dataDir);
    Path file = dir.resolve("client.json");
    ClientConfig config = null;
    if (Files.isRegularFile(file)) {
      try {
        config = ClientConfig.read(file);
      } catch (java.io.IOException e) {
        throw CliException.usage("cannot read " + file + ": " + e.getMessage());
      }
    }
    String url = server != null ? server : System.getenv("ARBITER_SERVER");
    if (url == null || url.isBlank()) {
      if (config == null) {
        throw CliException.usage("no --server and no client configuration at " + file);
      }
      url = config.server();
    }
    Path trust = ca;
    if (trust == null) {
      if (config == null) {
        throw CliException.usage("no --ca and no client configuration at " + file);
      }
      trust = config.resolve(file, config.ca());
    }
    return ApiClient.anonymous(url, trust);
  }
}
