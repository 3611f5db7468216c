// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.LocalCa;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.internal.Json;
import dev.arbiter.server.ArbiterServer;
import dev.arbiter.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A real Arbiter server for tests: embedded PostgreSQL in a temporary data directory, HTTPS on a
 * free loopback port, and HTTP clients holding certificates for each role (or none). Closing stops
 * the server and PostgreSQL and deletes the data directory ({@link TempDirGuard} checks that).
 */
public final class TestServer implements AutoCloseable {
  private static TestServer shared;
  private static boolean hookAdded;

  private final Path dataDir;
  private final ServerConfig config;
  private ArbiterServer server;

  private TestServer(Path dataDir, ServerConfig config) throws IOException {
    this.dataDir = dataDir;
    this.config = config;
    this.server = ArbiterServer.start(config);
  }

  private static int webhookPort;

  /**
   * A loopback port reserved once per test JVM for webhook receivers, so that a server's webhook
   * allow-list ({@code serve --webhook-allow}) can name it before the receiver listens.
   */
  public static synchronized int webhookPort() {
    if (webhookPort == 0) {
      try (java.net.ServerSocket socket =
          new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        webhookPort = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return webhookPort;
  }

  /**
   * The webhook allow-list prefix of {@link #webhookPort()}: {@code http://127.0.0.1:PORT/hook}.
   */
  public static String webhookPrefix() {
    return "http://127.0.0.1:" + webhookPort() + "/hook";
  }

  /** A fresh server with its own database. Close it. */
  public static TestServer start() {
    return start(UnaryOperator.identity());
  }

  public static TestServer start(UnaryOperator<ServerConfig> customize) {
    try {
      Path dir = Files.createTempDirectory("arbiter-test-");
      ServerConfig config =
          customize.apply(ServerConfig.defaults(dir).withPort(0).withClock(Clock.systemUTC()));
      return new TestServer(dir, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One server shared by the test JVM (tests must use their own workload names). Never close it:
   * the run closes it at its end ({@link TempDirGuard}), or the JVM's exit does.
   */
  public static synchronized TestServer shared() {
    if (shared == null) {
      shared = start(config -> config.withDev(true).withWebhookAllow(List.of(webhookPrefix())));
      if (!hookAdded) {
        Runtime.getRuntime().addShutdownHook(new Thread(TestServer::closeShared));
        hookAdded = true;
      }
    }
    return shared;
  }

  /** Closes the shared server if one is running; a later {@link #shared()} starts a new one. */
  static synchronized void closeShared() {
    if (shared != null) {
      try {
        shared.close();
      } finally {
        shared = null;
      }
    }
  }

  /** Stops and starts the server again on the same data directory (and a new port). */
  public void restart() throws IOException {
    server.close();
    server = ArbiterServer.start(config);
  }

  public ArbiterServer server() {
    return server;
  }

  public Path dataDir() {
    return dataDir;
  }

  public URI uri() {
    return server.uri();
  }

  /** A client with a fresh certificate for {@code role}. */
  public Client as(Role role, String name) {
    try {
      var ca = LocalCa.load(new dev.arbiter.auth.DataDir(dataDir), Clock.systemUTC());
      var issued = ca.issueClient(name, role, server.services().roles());
      return new Client(
          TlsContexts.create(issued.certificate(), issued.key(), dataDir.resolve("ca.pem")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operator client that serve created. */
  public Client operator() {
    try {
      return new Client(
          TlsContexts.create(
              dataDir.resolve("clients/operator.pem"),
              dataDir.resolve("clients/operator-key.pem"),
              dataDir.resolve("ca.pem")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client without a client certificate (as TEEs and relying parties call). */
  public Client anonymous() {
    try {
      return new Client(TlsContexts.create(null, null, dataDir.resolve("ca.pem")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server and deletes its data directory (embedded database included). */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** An HTTP response: status, content type and parsed JSON body. */
  public record Response(int status, String contentType, String text) {
    public JsonNode json() {
      try {
        return Json.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text, e);
      }
    }

    /** The problem slug of a problem+json answer. */
    public String problem() {
      return json().path("type").asText().replace("urn:arbiter:problem:", "");
    }
  }

  /** An HTTPS client bound to this server. */
  public final class Client {
    private final HttpClient http;

    Client(SSLContext tls) {
      this.http =
          HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Response get(String path) {
      return send(HttpRequest.newBuilder(uri().resolve(path)).GET());
    }

    public Response post(String path, Object body) {
      return send(
          HttpRequest.newBuilder(uri().resolve(path))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      body instanceof String text ? text : Json.write(body))));
    }

    public Response put(String path, Object body) {
      return send(
          HttpRequest.newBuilder(uri().resolve(path))
              .header("Content-Type", "application/json")
              .PUT(
                  HttpRequest.BodyPublishers.ofString(
                      body instanceof String text ? text : Json.write(body))));
    }

    /** GETs {@code path} and returns the whole response with its body as bytes (downloads). */
    public HttpResponse<byte[]> getBytes(String path) {
      try {
        return http.send(
            HttpRequest.newBuilder(uri().resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Sends {@code request} and returns the whole response (headers included). */
    public HttpResponse<String> sendRaw(HttpRequest.Builder request) {
      try {
        return http.send(
            request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    public Response send(HttpRequest.Builder request) {
      try {
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(
            response.statusCode(),
            response.headers().firstValue("content-type").orElse(""),
            response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
