// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.appraisal.Appraiser;
import dev.arbiter.appraisal.DecisionLog;
import dev.arbiter.appraisal.DecisionSink;
import dev.arbiter.appraisal.FleetFeed;
import dev.arbiter.appraisal.FleetRecorder;
import dev.arbiter.appraisal.Nonces;
import dev.arbiter.appraisal.PolicyCache;
import dev.arbiter.appraisal.RecentAppraisalsFeed;
import dev.arbiter.appraisal.http.AttestationRoutes;
import dev.arbiter.auth.CertificateRevocations;
import dev.arbiter.auth.ClientConfig;
import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.LocalCa;
import dev.arbiter.auth.Role;
import dev.arbiter.auth.RoleMap;
import dev.arbiter.auth.ServeLock;
import dev.arbiter.auth.http.CertificateRoutes;
import dev.arbiter.collateral.CollateralService;
import dev.arbiter.collateral.http.CollateralRoutes;
import dev.arbiter.console.http.ConsoleRoutes;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.crypto.ServiceKeySource;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.governance.LegacyRecords;
import dev.arbiter.governance.ServiceKeyStore;
import dev.arbiter.governance.http.AuditRoutes;
import dev.arbiter.http.Admission;
import dev.arbiter.http.HttpApi;
import dev.arbiter.http.OpenApi;
import dev.arbiter.http.Route;
import dev.arbiter.internal.Json;
import dev.arbiter.keybroker.http.KeyBrokerRoutes;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.http.PolicyRoutes;
import dev.arbiter.rollout.ReplicaHeartbeat;
import dev.arbiter.rollout.RolloutReports;
import dev.arbiter.rollout.RolloutScheduler;
import dev.arbiter.rollout.RolloutService;
import dev.arbiter.rollout.VersionGate;
import dev.arbiter.rollout.WebhookTargets;
import dev.arbiter.rollout.Webhooks;
import dev.arbiter.rollout.http.RolloutRoutes;
import dev.arbiter.store.Database;
import dev.arbiter.store.StoreException;
import dev.arbiter.supplychain.SupplyChainService;
import dev.arbiter.supplychain.http.SupplyChainRoutes;
import dev.arbiter.tlog.CheckpointSigner;
import dev.arbiter.tlog.Checkpoints;
import dev.arbiter.tlog.LocalCheckpointCheck;
import dev.arbiter.tlog.LogStore;
import dev.arbiter.tlog.TransparencyLog;
import dev.arbiter.tlog.http.LogRoutes;
import dev.arbiter.token.EarSigner;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Arbiter process: data directory bootstrap (local CA, server and operator certificates,
 * service key, client.json), the database, the domain services and the HTTPS server with optional
 * client certificates (required per route). Close to stop.
 */
public final class ArbiterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArbiterServer.class);

  private final ServerConfig config;
  private final Database database;
  private final WebServer web;
  private final Services services;
  private final List<Route> routes;
  private final ServeLock lock;
  private final AutoCloseable exportScheduler;

  private ArbiterServer(
      ServerConfig config,
      Database database,
      WebServer web,
      Services services,
      List<Route> routes,
      ServeLock lock,
      AutoCloseable exportScheduler) {
    this.config = config;
    this.database = database;
    this.web = web;
    this.services = services;
    this.routes = List.copyOf(routes);
    this.lock = lock;
    this.exportScheduler = exportScheduler;
  }

  /** The wired domain services (for tests and in-process tools). */
  public record Services(
      ServiceKey serviceKey,
      KeyRing keyRing,
      AuditLog audit,
      PolicyService policies,
      RoleMap roles,
      DataDir dataDir,
      Nonces nonces,
      EarSigner earSigner,
      Supplier<JWKSet> jwks,
      ServerConfig config,
      PolicyCache policyCache,
      FleetRecorder fleet,
      Appraiser appraiser,
      RolloutService rollouts,
      RolloutReports rolloutReports,
      RolloutScheduler scheduler,
      ReplicaHeartbeat heartbeat,
      SupplyChainService supplyChain,
      CollateralService collateral,
      Metrics metrics,
      TransparencyLog transparencyLog,
      DecisionLog decisionLog,
      CertificateRevocations certificateRevocations,
      Admission admission) {}

  public static ArbiterServer start(ServerConfig config) throws IOException {
    DataDir dir = new DataDir(config.dataDir());
    // a token that cannot be used (wrong PIN) fails before anything is written
    ServiceKey tokenKey =
        config.serviceKey() instanceof ServiceKeySource.Pkcs11
            ? loadServiceKey(config.serviceKey(), dir)
            : null;
    // one server per data directory: refused before anything in it is touched
    ServeLock lock = ServeLock.acquire(dir);
    Database database;
    ServiceKey serviceKey;
    KeyRing keyRing;
    try {
      bootstrapCertificates(dir, config);
      serviceKey = tokenKey != null ? tokenKey : loadServiceKey(config.serviceKey(), dir);
      // the pinned verification keys: from the data directory, never from the database
      keyRing = KeyRing.loadOrCreate(dir.root(), serviceKey, config.clock().instant());
      database =
          Database.open(
              config
                  .databaseUrl()
                  .<Database.Location>map(Database.Location.External::new)
                  .orElseGet(() -> new Database.Location.Embedded(dir.database())));
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    Services services = null;
    CertificateRevocations revocations = null;
    try {
      // revoked client certificates, shared by every replica through the database, in memory
      revocations = CertificateRevocations.start(database, Duration.ofSeconds(30));
      RoleMap roles = new RoleMap(dir.roles(), revocations::isRevoked);
      services = wire(config, dir, roles, serviceKey, keyRing, database, revocations);
      // the default external URL is the server's own, known once it listens: until then no proof
      // of possession matches
      AtomicReference<List<URI>> externalUrls = new AtomicReference<>(config.externalUrls());
      dev.arbiter.report.ExportSchedules exports = exportSchedules(services, database, dir);
      List<Route> routes = routes(services, database, externalUrls::get, exports);
      WebServer web =
          serve(
              config,
              dir,
              new HttpApi(routes, roles, services.metrics()::answered, services.admission()));
      AutoCloseable exportScheduler = exports.start(config.schedulerTick());
      AutoCloseable pruner = decisionRetention(services, database).start(PRUNE_EVERY);
      ArbiterServer server =
          new ArbiterServer(
              config,
              database,
              web,
              services,
              routes,
              lock,
              () -> {
                try {
                  pruner.close();
                } finally {
                  exportScheduler.close();
                }
              });
      if (config.externalUrls().isEmpty()) {
        externalUrls.set(List.of(server.uri()));
      }
      server.writeClientConfig(dir);
      LOG.info("Arbiter listening on {}", server.uri());
      return server;
    } catch (IOException | RuntimeException e) {
      try {
        if (services != null) {
          closeServices(services);
        } else if (revocations != null) {
          revocations.close();
        }
      } finally {
        try {
          database.close();
        } finally {
          lock.close();
        }
      }
      throw e;
    }
  }

  /**
   * The decision log itself, or (benchmarks only, {@link LogSettings#benchmarkAlternation}) a sink
   * that passes decisions on only in the even windows of {@code window} by {@code millis} (the wall
   * clock, which the load generator shares).
   */
  static DecisionSink alternating(
      DecisionSink log, Duration window, java.util.function.LongSupplier millis) {
    if (window.isZero()) {
      return log;
    }
    long length = window.toMillis();
    java.util.function.BooleanSupplier logging = () -> (millis.getAsLong() / length) % 2 == 0;
    return new DecisionSink() {
      @Override
      public void accept(dev.arbiter.appraisal.Decision decision) {
        if (logging.getAsBoolean()) {
          log.accept(decision);
        }
      }

      @Override
      public void offer(dev.arbiter.appraisal.Decision decision) {
        if (logging.getAsBoolean()) {
          log.offer(decision);
        }
      }
    };
  }

  /**
   * The data directory's {@code service-key.pem} (created on first start), or the key in a PKCS#11
   * token; either way it must be the newest key of the pinned key ring (checked next).
   */
  private static ServiceKey loadServiceKey(ServiceKeySource source, DataDir dir)
      throws IOException {
    return switch (source) {
      case ServiceKeySource.DataDirectory d -> ServiceKey.loadOrCreate(dir.serviceKey());
      case ServiceKeySource.Pkcs11 token -> {
        ServiceKey key = token.load();
        LOG.info("service key {} is in the PKCS#11 token of {}", key.keyId(), token.spec());
        yield key;
      }
    };
  }

  /** The local CA, the server certificate and the first operator's certificate (created once). */
  private static void bootstrapCertificates(DataDir dir, ServerConfig config) throws IOException {
    LocalCa ca = LocalCa.loadOrCreate(dir, config.clock());
    ca.ensureServerCertificate(isWildcard(config.listen()) ? List.of() : List.of(config.listen()));
    RoleMap roles = new RoleMap(dir.roles());
    java.nio.file.Path operatorCert = dir.clientsDir().resolve("operator.pem");
    if (!Files.exists(operatorCert)) {
      ca.issueClient("operator", Role.OPERATOR, roles);
    }
  }

  /** The domain services, by constructor, one domain after the other in dependency order. */
  private static Services wire(
      ServerConfig config,
      DataDir dir,
      RoleMap roles,
      ServiceKey serviceKey,
      KeyRing keyRing,
      Database database,
      CertificateRevocations revocations)
      throws IOException {
    Clock clock = config.clock();
    // governance: the service key's public half (JWKS) and the audit log every domain appends to
    ServiceKeyStore keyStore = new ServiceKeyStore(database);
    keyStore.register(serviceKey, clock.instant());
    AuditLog audit = new AuditLog(serviceKey, clock);
    // transparency log: every decision (and, later, every record) as a leaf; refuses a database
    // behind its checkpoint
    TransparencyLog tlog = openTransparencyLog(config, dir, database, audit);
    try {
      int adopted = LegacyRecords.adopt(database, audit, clock);
      if (adopted > 0) {
        LOG.info("transparency log: adopted {} records written before the log existed", adopted);
      }
      return wireDomains(
          config, dir, roles, serviceKey, keyRing, database, audit, tlog, revocations);
    } catch (IOException | RuntimeException e) {
      tlog.close(); // nothing else has started yet
      throw e;
    }
  }

  private static Services wireDomains(
      ServerConfig config,
      DataDir dir,
      RoleMap roles,
      ServiceKey serviceKey,
      KeyRing keyRing,
      Database database,
      AuditLog audit,
      TransparencyLog tlog,
      CertificateRevocations revocations)
      throws IOException {
    Clock clock = config.clock();
    DecisionLog decisionLog = new DecisionLog(tlog, config.log().mode());
    Supplier<JWKSet> jwks = keyRing::jwks;
    // policy: workloads, versions, signed revisions
    PolicyService policies =
        new PolicyService(database, serviceKey, audit, config.schemes(), clock);
    // supply chain: admission, findings, gates
    // the cache reads findings from the supply chain, which tells it when they change: a forward
    // reference
    AtomicReference<PolicyCache> cacheRef = new AtomicReference<>();
    SupplyChainService supplyChain =
        new SupplyChainService(
            database,
            policies,
            audit,
            keyRing,
            clock,
            Optional.of(config.schedulerTick()),
            workload -> Optional.ofNullable(cacheRef.get()).ifPresent(c -> c.reload(workload)));
    // collateral: endorsements and revocation data per evidence format
    CollateralService collateral =
        new CollateralService(database, config.schemes(), audit, keyRing, clock);
    // appraisal: policy cache, nonces, EAR signing, fleet records
    PolicyCache cache =
        new PolicyCache(
            database, policies, keyRing, supplyChain::vulnerabilities, Duration.ofSeconds(30));
    cacheRef.set(cache);
    Nonces nonces =
        new Nonces(
            Nonces.loadOrCreateKey(dir.root().resolve("nonce-key.bin")),
            clock,
            Duration.ofSeconds(120));
    String build =
        "arbiter "
            + Optional.ofNullable(ArbiterServer.class.getPackage().getImplementationVersion())
                .orElse("dev");
    EarSigner earSigner = new EarSigner(serviceKey, clock, Duration.ofMinutes(10), build);
    FleetRecorder fleet = new FleetRecorder(database, 200_000);
    Metrics metrics = new Metrics(config.schemes(), ProblemCatalog.all());
    // the sample of recent appraisals that dry runs of proposed appraisal policies evaluate
    DecisionSink recent = new RecentAppraisalsFeed(policies.recentAppraisals());
    Appraiser appraiser =
        new Appraiser(
            config.schemes(),
            cache::get,
            nonces,
            earSigner,
            collateral::forFormat,
            DecisionSink.all(
                config.log().recordDecisions()
                    ? List.of(
                        alternating(
                            decisionLog,
                            config.log().benchmarkAlternation(),
                            System::currentTimeMillis),
                        new FleetFeed(fleet),
                        recent,
                        metrics)
                    : List.of(new FleetFeed(fleet), recent, metrics)),
            config.dev(),
            clock);
    // rollout: transitions, reports, the scheduler and this replica's heartbeat
    VersionGate gate =
        (tx, workload, version) -> {
          List<String> failures =
              new ArrayList<>(config.versionGate().failures(tx, workload, version));
          failures.addAll(supplyChain.gate().failures(tx, workload, version));
          return failures;
        };
    Webhooks webhooks = new Webhooks(serviceKey, clock, WebhookTargets.of(config.webhookAllow()));
    RolloutService rollouts = new RolloutService(database, policies, audit, webhooks, gate, clock);
    RolloutReports reports = new RolloutReports(database, clock, config.liveWindow());
    ReplicaHeartbeat heartbeat =
        new ReplicaHeartbeat(database, cache, clock, Duration.ofSeconds(1));
    RolloutScheduler scheduler =
        new RolloutScheduler(
            rollouts, webhooks, clock, config.liveWindow(), config.schedulerTick());
    return new Services(
        serviceKey,
        keyRing,
        audit,
        policies,
        roles,
        dir,
        nonces,
        earSigner,
        jwks,
        config,
        cache,
        fleet,
        appraiser,
        rollouts,
        reports,
        scheduler,
        heartbeat,
        supplyChain,
        collateral,
        metrics,
        tlog,
        decisionLog,
        revocations,
        new Admission(config.admission()));
  }

  /**
   * Every route: each domain's {@code <Domain>Routes}, then the server's own open routes; the key
   * broker checks proofs of possession against {@code externalUrls}.
   */
  static List<Route> routes(
      Services services,
      Database database,
      Supplier<List<URI>> externalUrls,
      dev.arbiter.report.ExportSchedules exports)
      throws IOException {
    ServerConfig config = services.config();
    // one report service for the console's governance page and the governance API
    dev.arbiter.report.GovernanceReports governance = governanceReports(services, database);
    List<Route> domainRoutes = new ArrayList<>();
    domainRoutes.addAll(new PolicyRoutes(services.policies(), services.supplyChain()).routes());
    domainRoutes.addAll(new AuditRoutes(database, services.keyRing()).routes());
    domainRoutes.addAll(new SupplyChainRoutes(services.supplyChain()).routes());
    domainRoutes.addAll(new AttestationRoutes(services.appraiser(), services.nonces()).routes());
    domainRoutes.addAll(new CollateralRoutes(services.collateral(), config.clock()).routes());
    domainRoutes.addAll(
        new RolloutRoutes(services.rollouts(), services.rolloutReports(), config.clock()).routes());
    domainRoutes.addAll(
        KeyBrokerRoutes.create(
                database,
                services.dataDir(),
                services.audit(),
                services.nonces(),
                services.jwks(),
                config.clock(),
                config.dev(),
                externalUrls)
            .routes());
    domainRoutes.addAll(new LogRoutes(services.transparencyLog()).routes());
    // the web console (HTML over the same services); its CSRF key derives from the nonce key that
    // every replica shares
    domainRoutes.addAll(
        new ConsoleRoutes(
                services.policies(),
                services.rollouts(),
                services.rolloutReports(),
                services.supplyChain(),
                new LogStore(database),
                database,
                services.keyRing(),
                governance,
                services.serviceKey(),
                Nonces.loadOrCreateKey(services.dataDir().root().resolve("nonce-key.bin")),
                config.clock())
            .routes());
    domainRoutes.addAll(
        new CertificateRoutes(
                services.roles(),
                services.certificateRevocations(),
                services.audit(),
                config.clock())
            .routes());
    domainRoutes.addAll(
        new dev.arbiter.report.http.GovernanceRoutes(
                governance,
                dev.arbiter.report.VerificationKeys.ofKeyRing(services.keyRing()),
                services.serviceKey(),
                exports)
            .routes());
    domainRoutes.addAll(
        new dev.arbiter.retention.http.RetentionRoutes(decisionRetention(services, database))
            .routes());
    services
        .metrics()
        .watchLog(
            services.transparencyLog(),
            services.decisionLog(),
            config.log().recordDecisions() && config.log().benchmarkAlternation().isZero());
    services.metrics().watchAdmission(services.admission());
    return new SystemRoutes(
            database,
            services.jwks(),
            services.metrics().watch(services, services.collateral()),
            () -> notReady(services, database),
            () -> degraded(services))
        .routes(domainRoutes);
  }

  /**
   * What keeps this replica from serving attestations: a policy cache not yet loaded, a
   * transparency log that stopped signing or whose queue is full. Empty when ready. An unreachable
   * database alone does not (attestation needs no database; the log buffers): see {@link
   * #degraded}. No I/O, so a health check never waits for a connection during a failover.
   */
  static List<String> notReady(Services services, Database database) {
    List<String> problems = new ArrayList<>();
    if (!services.policyCache().isLoaded()) {
      problems.add("policy cache not loaded");
    }
    TransparencyLog.Metrics log = services.transparencyLog().metrics();
    if (log.signingHalted()) {
      problems.add("transparency log signing halted");
    }
    if (log.queueDepth() >= log.queueCapacity()) {
      problems.add("transparency log queue full");
    }
    return problems;
  }

  /** How often the background prune of decision records past retention runs. */
  static final Duration PRUNE_EVERY = Duration.ofHours(1);

  /** Decision retention: the default, pruning (routes and the hourly background prune). */
  static dev.arbiter.retention.DecisionRetention decisionRetention(
      Services services, Database database) {
    return new dev.arbiter.retention.DecisionRetention(
        database,
        services.policies(),
        services.audit(),
        services.config().clock(),
        dev.arbiter.retention.DecisionRetention.DEFAULT_BATCH);
  }

  /**
   * What this replica cannot do although it is ready: writes (and the log's catching up) while the
   * database is unreachable, judged from the heartbeat (no I/O).
   */
  static List<String> degraded(Services services) {
    if (services.heartbeat().sinceLastBeat().compareTo(DATABASE_STALE) > 0) {
      return List.of("database unreachable");
    }
    return List.of();
  }

  /** Heartbeats are written every second; three missed ones mean the database is unreachable. */
  private static final Duration DATABASE_STALE = Duration.ofSeconds(3);

  /** The governance report service over the domains' records. */
  static dev.arbiter.report.GovernanceReports governanceReports(
      Services services, Database database) {
    return new dev.arbiter.report.GovernanceReports(
        database,
        services.policies(),
        services.rollouts(),
        services.transparencyLog(),
        services.config().clock());
  }

  /** Periodic evidence exports into {@code <data dir>/exports}. */
  static dev.arbiter.report.ExportSchedules exportSchedules(
      Services services, Database database, DataDir dir) {
    return new dev.arbiter.report.ExportSchedules(
        database,
        governanceReports(services, database),
        dev.arbiter.report.VerificationKeys.ofKeyRing(services.keyRing()),
        services.serviceKey(),
        services.audit(),
        dir.root().resolve("exports"));
  }

  /** The HTTPS server: TLS with optional client certificates (each route says what it requires). */
  private static WebServer serve(ServerConfig config, DataDir dir, HttpApi api) throws IOException {
    SSLContext tls =
        TlsContexts.create(dir.serverCertificate(), dir.serverKey(), dir.caCertificate());
    HttpRouting.Builder routing = HttpRouting.builder();
    api.register(routing);
    requirePortFree(config.listen(), config.port());
    WebServer web =
        WebServer.builder()
            .host(config.listen())
            .port(config.port())
            // above every route's own limit (the largest is 64 MiB), so that a route answers an
            // oversized body with its typed 413 from the declared length, before reading it
            .maxPayloadSize(65L * 1024 * 1024)
            .tls(
                Tls.builder()
                    .sslContext(tls)
                    .clientAuth(TlsClientAuth.OPTIONAL)
                    .enabledProtocols(TlsContexts.SERVER_PROTOCOLS)
                    .enabledCipherSuites(TlsContexts.SERVER_CIPHER_SUITES)
                    .build())
            .routing(routing)
            .build()
            .start();
    if (!web.isRunning() || web.port() <= 0) {
      web.stop();
      throw new java.net.BindException(
          "cannot listen on " + config.listen() + ":" + config.port() + " (in use?)");
    }
    return web;
  }

  /**
   * Fails with one clear line when the port is taken, before the web server logs its own failure.
   */
  private static void requirePortFree(String host, int port) throws IOException {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new java.net.BindException(
          "port " + port + " on " + host + " is already in use (another Arbiter? choose --port)");
    }
  }

  /** The OpenAPI document for a route table. */
  public static Map<String, Object> openApi(List<Route> routes) {
    String version = ArbiterServer.class.getPackage().getImplementationVersion();
    return OpenApi.document(routes, ProblemCatalog.all(), version == null ? "dev" : version);
  }

  private void writeClientConfig(DataDir dir) throws IOException {
    ClientConfig client =
        new ClientConfig(
            uri().toString(), "ca.pem", "clients/operator.pem", "clients/operator-key.pem");
    String json = Json.writePretty(client) + "\n";
    if (!Files.exists(dir.clientConfig())
        || !Files.readString(dir.clientConfig(), StandardCharsets.UTF_8).equals(json)) {
      client.write(dir.clientConfig());
    }
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
  }

  public int port() {
    return web.port();
  }

  /** The base URL clients use (loopback when bound to a wildcard address). */
  public URI uri() {
    String host = isWildcard(config.listen()) ? "127.0.0.1" : config.listen();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("https://" + host + ":" + port());
  }

  public Database database() {
    return database;
  }

  public Services services() {
    return services;
  }

  /** Every route this server serves (domain routes and the server's own). */
  public List<Route> routes() {
    return routes;
  }

  // transparency log ---------------------------------------------------------------------------
  // Wiring of dev.arbiter.tlog (issue 11 item 3): key and local checkpoint file in the data dir,
  // the startup check against the local checkpoint (refuse, or start with an audited override),
  // the writer started here and closed in close() before the database.

  /** Each replica's own spool of decisions not yet in the database (never copied to another). */
  static final String SPOOL_DIRECTORY = "tlog-spool";

  /** The local checkpoint file, outside the database. */
  static final String LOCAL_CHECKPOINT_FILE = "tlog-checkpoint";

  /**
   * Opens the log on the database with the data directory's checkpoint key and runs {@link
   * TransparencyLog#verifyAgainstLocalCheckpoint()}: when the database is behind, forked from or
   * unverifiable against the local checkpoint, refuses to start ({@link StoreException}: serve
   * prints its one line and exits non-zero) unless {@link LogSettings#acceptStateReason()} is
   * given; then audits the override ({@code log.accept-state}), moves the local checkpoint aside
   * ({@code tlog-checkpoint.rejected-<epoch millis>}) and starts from the database's log.
   */
  static TransparencyLog openTransparencyLog(
      ServerConfig config, DataDir dir, Database database, AuditLog audit) throws IOException {
    LogSettings settings = config.log();
    String origin = settings.origin().orElseGet(() -> defaultLogOrigin(config.listen()));
    CheckpointSigner signer = CheckpointSigner.loadOrCreate(dir.root(), origin);
    java.nio.file.Path checkpointFile = dir.root().resolve(LOCAL_CHECKPOINT_FILE);
    TransparencyLog.Config logConfig =
        TransparencyLog.Config.defaults(checkpointFile)
            .withQueueCapacity(settings.queueCapacity())
            .withCheckpointInterval(settings.checkpointInterval());
    LogStore store = new LogStore(database);
    store
        .latestCheckpoint()
        .filter(stored -> !Checkpoints.open(stored.note(), signer.verifierKey()).ok())
        .ifPresent(stored ->
            LOG.warn(
                "the database's latest checkpoint (size {}) is not signed by this server's log key"
                    + " {}: replicas sharing a database must share {} and --log-origin, or"
                    + " witnesses will see checkpoints from an unknown key",
                stored.size(),
                signer.verifierKey(),
                CheckpointSigner.KEY_FILE));
    TransparencyLog log = TransparencyLog.create(store, signer, logConfig, config.clock());
    LocalCheckpointCheck check = log.verifyAgainstLocalCheckpoint();
    if (!check.mayStart()) {
      String problem = describe(check, checkpointFile);
      if (settings.acceptStateReason().isEmpty()) {
        log.close();
        throw new StoreException(
            problem + "; restore the database, or start with --accept-log-state --reason TEXT",
            null);
      }
      String reason = settings.acceptStateReason().get();
      database.useTransaction(tx ->
          audit.append(
              tx,
              "operator:serve",
              "log.accept-state",
              "transparency-log",
              reason,
              Optional.empty(),
              Map.of("check", check.toString(), "origin", origin)));
      log.close();
      java.nio.file.Path aside =
          dir.root().resolve(LOCAL_CHECKPOINT_FILE + ".rejected-" + config.clock().millis());
      Files.move(checkpointFile, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      LOG.warn(
          "starting although {} (accepted: {}); the rejected local checkpoint is {}",
          problem,
          reason,
          aside);
      log = TransparencyLog.create(store, signer, logConfig, config.clock());
    }
    // decisions accepted but not yet written survive a crash of this process (tlog README)
    log.spoolTo(dir.root().resolve(SPOOL_DIRECTORY));
    log.start();
    LOG.info("transparency log {}: {} (verifier key {})", origin, check, signer.verifierKey());
    return log;
  }

  /**
   * {@code arbiter/<listen host>}, or {@code arbiter/<host name>} when bound to a wildcard address.
   */
  static String defaultLogOrigin(String listen) {
    String host = listen;
    if (isWildcard(listen)) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
    }
    return "arbiter/" + host.replaceAll("[^A-Za-z0-9._:-]", "_");
  }

  private static String describe(LocalCheckpointCheck check, java.nio.file.Path file) {
    return switch (check) {
      case LocalCheckpointCheck.Behind b ->
          "the database's transparency log (size "
              + b.treeSize()
              + ") is behind the local checkpoint (size "
              + b.localSize()
              + "): records were lost or an older backup restored";
      case LocalCheckpointCheck.Forked f ->
          "the database's transparency log is forked from the local checkpoint (size "
              + f.localSize()
              + "): "
              + f.detail();
      case LocalCheckpointCheck.Unverifiable u ->
          "the local checkpoint does not verify: " + u.detail();
      default -> "the transparency log check failed: " + check + " (" + file + ")";
    };
  }

  /**
   * Stops the background work of the services, the transparency log first (it drains and signs a
   * final checkpoint).
   */
  private static void closeServices(Services services) {
    try {
      services.transparencyLog().close();
    } finally {
      services.scheduler().close();
      services.supplyChain().close();
      services.heartbeat().close();
      services.fleet().close();
      services.policyCache().close();
      services.certificateRevocations().close();
    }
  }

  /** The running transparency log (tests and in-process tools). */
  public TransparencyLog transparencyLog() {
    return services.transparencyLog();
  }

  @Override
  public void close() {
    try {
      web.stop();
      exportScheduler.close();
    } catch (Exception e) {
      LOG.warn("stopping the export scheduler failed", e);
    } finally {
      try {
        closeServices(services);
      } finally {
        try {
          database.close();
        } finally {
          lock.close();
        }
      }
    }
  }
}
