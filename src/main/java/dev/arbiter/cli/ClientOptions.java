// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.DataDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How client commands find the server and their credentials; precedence (flags, environment,
 * current context, {@code ./arbiter-data/client.json}) in {@link ClientSettings}.
 */
public final class ClientOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Server URL (default: $ARBITER_SERVER, the current context or client.json).")
  String server;

  @Option(
      names = {"--cacert", "--ca"},
      paramLabel = "FILE",
      description = "CA certificate to trust (default: $ARBITER_CACERT, context or client.json).")
  Path cacert;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description =
          "Client certificate (PEM; default: $ARBITER_CLIENT_CERT, context or client.json).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Client key (PEM; default: $ARBITER_CLIENT_KEY, context or client.json).")
  Path key;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "Use this context (default: $ARBITER_CONTEXT or 'arbiter context use').")
  String context;

  @Option(
      names = "--data-dir",
      description =
          "Data directory holding client.json (default: $ARBITER_DATA_DIR or ./arbiter-data).")
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
    String env = Env.get("ARBITER_DATA_DIR");
    return env != null ? Path.of(env) : DataDir.DEFAULT;
  }

  public boolean json() {
    return json;
  }

  /** The resolved settings (which source gave what). */
  ClientSettings settings() {
    return ClientSettings.resolve(
        new ClientSettings.Flags(server, cacert, cert, key, dataDir, context), false);
  }

  /** A client for the resolved server and credentials. */
  public ApiClient client() {
    ClientSettings settings = settings();
    return ApiClient.create(
        settings.server(), settings.ca(), settings.cert(), settings.key(), settings.describe());
  }
}
