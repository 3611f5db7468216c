// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.DataDir;
import dev.arbiter.server.ArbiterServer;
import dev.arbiter.server.ServerConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the Arbiter server (HTTPS, mutual TLS for admin routes; embedded PostgreSQL by default).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "HTTPS port (default ${DEFAULT-VALUE}).", defaultValue = "8443")
  int port;

  @Option(names = "--listen", description = "Address to bind (default ${DEFAULT-VALUE}: loopback only).", defaultValue = "127.0.0.1")
  String listen;

  @Option(names = "--data-dir", description = "Data directory (default: $ARBITER_DATA_DIR or ./arbiter-data).")
  Path dataDir;

  @Option(names = "--database-url", description = "External PostgreSQL (jdbc:postgresql://... or postgres://...); default: $ARBITER_DATABASE_URL or embedded.")
  String databaseUrl;

  @Option(names = "--dev", description = "Development mode: accept the sample evidence scheme (never in production).")
  boolean dev;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = ClientOptions.resolveDataDir(dataDir);
    String url = databaseUrl != null ? databaseUrl : System.getenv("ARBITER_DATABASE_URL");
    ServerConfig config = ServerConfig.defaults(dir).withPort(port).withListen(listen)
        .withDatabaseUrl(Optional.ofNullable(url).filter(u -> !u.isBlank())).withDev(dev);
    CountDownLatch stopped = new CountDownLatch(1);
    ArbiterServer server;
    try {
      server = ArbiterServer.start(config);
    } catch (dev.arbiter.store.StoreException e) {
      throw CliException.usage(e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "arbiter-shutdown"));
    spec.commandLine().getErr().println("arbiter: listening on " + server.uri() + " (data in " + new DataDir(dir).root()
        + (dev ? ", DEV MODE: sample evidence accepted" : "") + ")");
    spec.commandLine().getErr().flush();
    stopped.await();
    return ExitCode.OK;
  }
}
