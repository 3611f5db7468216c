// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.DataDir;
import dev.arbiter.crypto.ServiceKeySource;
import dev.arbiter.crypto.TokenException;
import dev.arbiter.http.Admission;
import dev.arbiter.rollout.WebhookTargets;
import dev.arbiter.server.ArbiterServer;
import dev.arbiter.server.LogSettings;
import dev.arbiter.server.ServerConfig;
import dev.arbiter.tlog.LogMode;
import dev.arbiter.tlog.NoteVerifierKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter serve}: runs the server until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the Arbiter server (HTTPS, mutual TLS for admin routes; embedded PostgreSQL by"
            + " default).")
final class ServeCommand implements Callable<Integer> {
  /** The environment variable holding the PKCS#11 token's PIN (never a command-line argument). */
  static final String PIN_VARIABLE = "ARBITER_PKCS11_PIN";

  @Option(
      names = "--port",
      description = "HTTPS port (default ${DEFAULT-VALUE}).",
      defaultValue = "8443")
  int port;

  @Option(
      names = "--listen",
      description = "Address to bind (default ${DEFAULT-VALUE}: loopback only).",
      defaultValue = "127.0.0.1")
  String listen;

  @Option(
      names = "--data-dir",
      description = "Data directory (default: $ARBITER_DATA_DIR or ./arbiter-data).")
  Path dataDir;

  @Option(
      names = "--database-url",
      description =
          "External PostgreSQL (jdbc:postgresql://... or postgres://...); default:"
              + " $ARBITER_DATABASE_URL or embedded.")
  String databaseUrl;

  @Option(
      names = "--dev",
      description = "Development mode: accept the sample evidence scheme (never in production).")
  boolean dev;

  @Option(
      names = "--log-origin",
      description =
          "Transparency log origin (checkpoint first line and key name); default arbiter/<listen"
              + " address>, or arbiter/<host name> for a wildcard address. Keep it stable across"
              + " restarts.")
  String logOrigin;

  @Option(
      names = "--log-mode",
      description =
          "When the transparency log cannot take a decision: strict (answer 503 with Retry-After,"
              + " the default) or best-effort (answer anyway, count it in"
              + " arbiter_log_dropped_total).",
      defaultValue = "strict")
  String logMode;

  @Option(
      names = "--accept-log-state",
      description =
          "Start even though the database's transparency log is behind, forked from or unverifiable"
              + " against the local checkpoint (needs --reason; audited as log.accept-state).")
  boolean acceptLogState;

  @Option(
      names = "--reason",
      description = "Why --accept-log-state is given (recorded in the audit log).")
  String reason;

  @Option(
      names = "--external-url",
      description =
          "A base URL clients reach this server at (repeatable; default: $ARBITER_EXTERNAL_URL,"
              + " comma-separated, or the server's own URL as in client.json). A proof of"
              + " possession's htu must name one of them.")
  List<String> externalUrls = new ArrayList<>();

  @Option(
      names = "--webhook-allow",
      description =
          "A URL prefix rollout webhooks may target (repeatable; default: $ARBITER_WEBHOOK_ALLOW,"
              + " comma-separated, or none: every webhook is refused). https only, except"
              + " http://127.0.0.1 and http://localhost.")
  List<String> webhookAllow = new ArrayList<>();

  @Option(
      names = "--service-key",
      description =
          "The service key in a PKCS#11 token: pkcs11:<config-file>[#<label>] (a SunPKCS11"
              + " configuration file and the key's label; the PIN is read from"
              + " $ARBITER_PKCS11_PIN). Default: the data directory's service-key.pem.")
  String serviceKey;

  @Option(
      names = "--max-inflight",
      paramLabel = "N",
      description =
          "Attestation requests (challenge, attest) processed at once; past it a request waits"
              + " at most --queue-budget-ms for a slot, else gets 503 overloaded with Retry-After."
              + " 0 = no limit. Default: 4 per core, at least 8.")
  Integer maxInflight;

  @Option(
      names = "--queue-budget-ms",
      paramLabel = "MS",
      description = "How long an attestation request may wait for a slot (default 1000).")
  Integer queueBudgetMs;

  @Option(
      names = "--rate-limit",
      paramLabel = "PER_SECOND",
      description =
          "Attestation requests per second per client address (token bucket; more get 429"
              + " rate-limited with Retry-After). Default 0 = no limit (behind a load balancer"
              + " every client has its address).")
  Double rateLimit;

  @Option(
      names = "--rate-burst",
      paramLabel = "N",
      description = "Requests a client may send at once after being idle (default: 2 x the rate).")
  Integer rateBurst;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description =
          "text (default) or json: one JSON object per line on stderr (logback's JsonEncoder).",
      defaultValue = "text")
  String logFormat;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    boolean jsonLogs =
        switch (logFormat) {
          case "text" -> false;
          case "json" -> true;
          default -> throw CliException.usage("--log-format must be text or json");
        };
    if (jsonLogs) {
      ServerLogging.useJson();
    }
    Path dir = ClientOptions.resolveDataDir(dataDir);
    String url = databaseUrl != null ? databaseUrl : System.getenv("ARBITER_DATABASE_URL");
    ServerConfig config =
        ServerConfig.defaults(dir)
            .withPort(port)
            .withListen(listen)
            .withDatabaseUrl(Optional.ofNullable(url).filter(u -> !u.isBlank()))
            .withDev(dev)
            .withLog(logSettings())
            .withExternalUrls(externalUrls())
            .withWebhookAllow(webhookAllow())
            .withServiceKey(serviceKeySource())
            .withAdmission(admission());
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM and SIGINT stop the server from the main thread, which then exits 0 without a trace;
    // the shutdown hook covers every other way the JVM ends
    ServerLogging.onTerminate(stop::countDown);
    ArbiterServer server;
    try {
      server = ArbiterServer.start(config);
    } catch (dev.arbiter.store.StoreException e) {
      throw CliException.usage(e.getMessage());
    } catch (TokenException e) {
      throw CliException.usage("service key " + e.getMessage());
    } catch (dev.arbiter.auth.ServeLock.HeldException | java.net.BindException e) {
      throw CliException.usage(e.getMessage());
    }
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable close =
        () -> {
          if (closed.compareAndSet(false, true)) {
            server.close();
          }
        };
    Thread hook = new Thread(close, "arbiter-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String listening =
        "listening on "
            + server.uri()
            + " (data in "
            + new DataDir(dir).root()
            + (dev ? ", DEV MODE: sample evidence accepted" : "")
            + ")";
    if (jsonLogs) {
      ServerLogging.announce(listening);
    } else {
      spec.commandLine().getErr().println("arbiter: " + listening);
      spec.commandLine().getErr().flush();
    }
    stop.await();
    close.run();
    ServerLogging.announce("stopped");
    if (!jsonLogs) {
      spec.commandLine().getErr().println("arbiter: stopped");
      spec.commandLine().getErr().flush();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    return ExitCode.OK;
  }

  private Admission.Settings admission() {
    Admission.Settings settings = Admission.Settings.defaults();
    if ((maxInflight != null && maxInflight < 0)
        || (queueBudgetMs != null && queueBudgetMs < 0)
        || (rateLimit != null && !(rateLimit >= 0 && rateLimit < 1e9))
        || (rateBurst != null && rateBurst < 1)) {
      throw CliException.usage(
          "--max-inflight, --queue-budget-ms and --rate-limit must be >= 0, --rate-burst >= 1");
    }
    if (maxInflight != null) {
      settings = settings.withMaxInflight(maxInflight);
    }
    if (queueBudgetMs != null) {
      settings = settings.withQueueBudget(java.time.Duration.ofMillis(queueBudgetMs));
    }
    if (rateBurst != null && (rateLimit == null || rateLimit == 0)) {
      throw CliException.usage("--rate-burst needs --rate-limit");
    }
    if (rateLimit != null && rateLimit > 0) {
      int burst = rateBurst != null ? rateBurst : (int) Math.max(1, Math.ceil(2 * rateLimit));
      settings = settings.withRatePerClient(rateLimit, burst);
    }
    return settings;
  }

  private ServiceKeySource serviceKeySource() {
    if (serviceKey == null) {
      return new ServiceKeySource.DataDirectory();
    }
    String pin = System.getenv(PIN_VARIABLE);
    try {
      ServiceKeySource.Pkcs11 source = ServiceKeySource.pkcs11(serviceKey, pin == null ? "" : pin);
      if (source.pin().isEmpty()) {
        throw CliException.usage(
            "--service-key " + source.spec() + " needs the token's PIN in " + PIN_VARIABLE);
      }
      return source;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private List<URI> externalUrls() {
    List<URI> urls = new ArrayList<>();
    for (String text : orEnv(externalUrls, "ARBITER_EXTERNAL_URL")) {
      try {
        urls.add(ServerConfig.externalUrl(text));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("invalid --external-url: " + e.getMessage());
      }
    }
    return urls;
  }

  private List<String> webhookAllow() {
    List<String> prefixes = orEnv(webhookAllow, "ARBITER_WEBHOOK_ALLOW");
    try {
      WebhookTargets.of(prefixes);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid --webhook-allow: " + e.getMessage());
    }
    return prefixes;
  }

  /** The option's values, or else the environment variable's comma-separated values. */
  private static List<String> orEnv(List<String> values, String variable) {
    List<String> source = values;
    if (source.isEmpty()) {
      String env = System.getenv(variable);
      source = env == null ? List.of() : List.of(env.split(","));
    }
    return source.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
  }

  private LogSettings logSettings() {
    if (acceptLogState != (reason != null)) {
      throw CliException.usage(
          acceptLogState
              ? "--accept-log-state needs --reason TEXT"
              : "--reason is only for --accept-log-state");
    }
    if (reason != null && reason.isBlank()) {
      throw CliException.usage("--reason must not be empty");
    }
    LogMode mode;
    try {
      mode = LogMode.parse(logMode);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--" + e.getMessage());
    }
    try {
      NoteVerifierKey.requireValidName(logOrigin == null ? "arbiter/x" : logOrigin);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid --log-origin: " + e.getMessage());
    }
    LogSettings settings =
        LogSettings.defaults()
            .withOrigin(Optional.ofNullable(logOrigin))
            .withMode(mode)
            .withAcceptStateReason(Optional.ofNullable(reason));
    if (Boolean.getBoolean(UNLOGGED_DECISIONS_PROPERTY)) {
      // bench/attest-load's log-off half (issue 11: the log's cost measured on the server alone);
      // never outside --dev, and /metrics says so (arbiter_log_decisions_recorded 0)
      requireDev(UNLOGGED_DECISIONS_PROPERTY);
      System.err.println(
          "arbiter: BENCHMARK: attestation decisions are NOT logged (-D"
              + UNLOGGED_DECISIONS_PROPERTY
              + ")");
      settings = settings.withoutDecisionsForBenchmarks();
    }
    String alternate = System.getProperty(ALTERNATE_LOG_PROPERTY);
    if (alternate != null) {
      // bench/attest-load ATTEST_LOG=alternate: with and without the log in one process, in
      // alternating windows, so the machine's drift between two runs does not enter the ratio
      requireDev(ALTERNATE_LOG_PROPERTY);
      int seconds;
      try {
        seconds = Integer.parseInt(alternate);
      } catch (NumberFormatException e) {
        seconds = 0;
      }
      if (seconds < 1) {
        throw CliException.usage("-D" + ALTERNATE_LOG_PROPERTY + " takes a number of seconds >= 1");
      }
      System.err.println(
          "arbiter: BENCHMARK: attestation decisions are logged only in every other "
              + seconds
              + " s window (-D"
              + ALTERNATE_LOG_PROPERTY
              + ")");
      settings = settings.alternatingForBenchmarks(java.time.Duration.ofSeconds(seconds));
    }
    return settings;
  }

  /** Refuses a benchmark-only JVM property on a server started without {@code --dev}. */
  private void requireDev(String property) {
    if (!dev) {
      throw CliException.usage("-D" + property + " is for benchmarks of a --dev server only");
    }
  }

  /**
   * The JVM property that logs decisions only in every other window of that many seconds on a
   * {@code --dev} benchmark server.
   */
  static final String ALTERNATE_LOG_PROPERTY = "arbiter.bench.alternateLogSeconds";

  /** The JVM property that leaves decisions out of the log on a {@code --dev} benchmark server. */
  static final String UNLOGGED_DECISIONS_PROPERTY = "arbiter.bench.unloggedDecisions";
}
