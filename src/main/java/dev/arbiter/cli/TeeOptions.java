// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How TEE-side commands ({@code attest}, {@code sample-tee}, {@code challenge}, {@code secret get})
 * reach the server: no client certificate; the server URL and the CA with the precedence of {@link
 * ClientSettings} (flags, environment, current context, {@code ./arbiter-data/client.json}).
 */
public final class TeeOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Server URL (default: $ARBITER_SERVER, the current context or client.json).")
  String server;

  @Option(
      names = {"--ca", "--cacert"},
      paramLabel = "FILE",
      description = "CA certificate to trust (default: $ARBITER_CACERT, context or client.json).")
  Path ca;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "Use this context (default: $ARBITER_CONTEXT or 'arbiter context use').")
  String context;

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
    ClientSettings settings =
        ClientSettings.resolve(
            new ClientSettings.Flags(server, ca, null, null, dataDir, context), false);
    return ApiClient.create(settings.server(), settings.ca(), null, null, settings.describe());
  }
}
