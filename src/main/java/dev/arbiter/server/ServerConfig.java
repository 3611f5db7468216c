// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import dev.arbiter.crypto.ServiceKeySource;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.http.Admission;
import dev.arbiter.rollout.VersionGate;
import dev.arbiter.schemes.BuiltInSchemes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the server.
 *
 * @param listen address to bind (default loopback)
 * @param port HTTPS port (0 picks a free one)
 * @param dataDir keys, certificates, roles.json, client.json and the embedded database
 * @param databaseUrl an external PostgreSQL instead of the embedded one
 * @param dev accept the development-only {@code sample} evidence scheme
 * @param schemes enabled evidence schemes (tests inject schemes with test roots)
 * @param log the transparency log's settings
 * @param externalUrls the base URLs clients reach the server at ({@code serve --external-url}); a
 *     proof of possession's {@code htu} must name one of them; empty means the server's own URL
 *     ({@link ArbiterServer#uri()}, as written to client.json)
 * @param webhookAllow the URL prefixes rollout webhooks may target ({@code serve --webhook-allow});
 *     empty (the default) refuses every webhook
 * @param serviceKey where the service key is ({@code serve --service-key}): the data directory's
 *     {@code service-key.pem} (the default) or a PKCS#11 token
 * @param admission overload protection of the attestation routes ({@code serve --max-inflight},
 *     {@code --queue-budget-ms}, {@code --rate-limit}, {@code --rate-burst})
 */
public record ServerConfig(
    String listen,
    int port,
    Path dataDir,
    Optional<String> databaseUrl,
    boolean dev,
    Clock clock,
    SchemeRegistry schemes,
    VersionGate versionGate,
    Duration liveWindow,
    Duration schedulerTick,
    LogSettings log,
    List<URI> externalUrls,
    List<String> webhookAllow,
    ServiceKeySource serviceKey,
    Admission.Settings admission) {
  public static final int DEFAULT_PORT = 8443;

  public ServerConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(schemes, "schemes");
    Objects.requireNonNull(versionGate, "versionGate");
    Objects.requireNonNull(liveWindow, "liveWindow");
    Objects.requireNonNull(schedulerTick, "schedulerTick");
    Objects.requireNonNull(log, "log");
    externalUrls = List.copyOf(externalUrls);
    webhookAllow = List.copyOf(webhookAllow);
    Objects.requireNonNull(serviceKey, "serviceKey");
    Objects.requireNonNull(admission, "admission");
  }

  /**
   * Parses one external base URL: https, a host, an optional port and path, no userinfo, query or
   * fragment.
   *
   * @throws IllegalArgumentException when it is not such a URL
   */
  public static URI externalUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + text, e);
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "must be https://host[:port][/path] without userinfo, query or fragment: " + text);
    }
    return uri;
  }

  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        dataDir,
        Optional.empty(),
        false,
        Clock.systemUTC(),
        BuiltInSchemes.registry(),
        VersionGate.none(),
        Duration.ofMinutes(10),
        Duration.ofSeconds(1),
        LogSettings.defaults(),
        List.of(),
        List.of(),
        new ServiceKeySource.DataDirectory(),
        Admission.Settings.defaults());
  }

  public ServerConfig withPort(int value) {
    return new ServerConfig(
        listen,
        value,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withListen(String value) {
    return new ServerConfig(
        value,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withDatabaseUrl(Optional<String> value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        value,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withDev(boolean value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        value,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withClock(Clock value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        value,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withSchemes(SchemeRegistry value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        value,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withVersionGate(VersionGate value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        value,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withLiveWindow(Duration value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        value,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withSchedulerTick(Duration value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        value,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withLog(LogSettings value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        value,
        externalUrls,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withExternalUrls(List<URI> value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        value,
        webhookAllow,
        serviceKey,
        admission);
  }

  public ServerConfig withWebhookAllow(List<String> value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        value,
        serviceKey,
        admission);
  }

  public ServerConfig withServiceKey(ServiceKeySource value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        value,
        admission);
  }

  public ServerConfig withAdmission(Admission.Settings value) {
    return new ServerConfig(
        listen,
        port,
        dataDir,
        databaseUrl,
        dev,
        clock,
        schemes,
        versionGate,
        liveWindow,
        schedulerTick,
        log,
        externalUrls,
        webhookAllow,
        serviceKey,
        value);
  }
}
