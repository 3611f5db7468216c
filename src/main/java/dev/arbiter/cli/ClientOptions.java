// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.ClientConfig;
import dev.arbiter.auth.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How client commands find the server and their credentials: {@code --server} / {@code --data-dir},
 * then {@code ARBITER_SERVER} / {@code ARBITER_DATA_DIR}, then {@code ./arbiter-data/client.json}.
 */
public final class ClientOptions {
  @Option(names = "--server", description = "Server URL (default: from client.json).")
  String server;

  @Option(
      names = "--data-dir",
      description = "Data directory holding client.json (default: ./arbiter-data).")
  Path dataDir;

  @Option(names = "--json", description = "Print machine-readable JSON.")
  boolean json;

  public Path dataDir() {
    return resolveDataDir(dataDir);
  }

  /** The flag's value, else {@code ARBITER_DATA_DIR}, else {@code ./arbiter-data}. */
  public static Path resolveDataDir(Path flag) {
    if (flag != null) {
      return flag;
    }
    String env = System.getenv("ARBITER_DATA_DIR");
    return env != null && !env.isBlank() ? Path.of(env) : DataDir.DEFAULT;
  }

  public boolean json() {
    return json;
  }

  /** The client configuration, with the server URL overridden by flag or environment. */
  public ApiClient client() {
    Path file = dataDir().resolve("client.json");
    if (!Files.isRegularFile(file)) {
      throw CliException.usage(
          "no client configuration at "
              + file
              + " (start 'arbiter serve' once, or pass --data-dir)");
    }
    ClientConfig config;
    try {
      config = ClientConfig.read(file);
    } catch (java.io.IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
    String url = server;
    if (url == null) {
      String env = System.getenv("ARBITER_SERVER");
      url = env != null && !env.isBlank() ? env : config.server();
    }
    return ApiClient.create(
        url,
        config.resolve(file, config.ca()),
        config.resolve(file, config.cert()),
        config.resolve(file, config.key()));
  }
}
