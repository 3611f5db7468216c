// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A small HTTPS client for Arbiter's API with mutual TLS. Problems from the server become {@link
 * CliException}s with exit 1 (refused, 4xx) or 2 (server or transport error).
 */
public final class ApiClient {
  /**
   * Every HTTP client this process opened, closed by {@link #closeAll()} before the CLI exits: a
   * client's selector thread waits in {@code epoll_wait}, and HotSpot's exit waits up to 300 ms for
   * threads in native code to block, a third of a short call's time.
   */
  private static final List<HttpClient> OPEN = new CopyOnWriteArrayList<>();

  private final URI base;
  private final HttpClient http;
  private final String configuration;

  private ApiClient(URI base, HttpClient http, String configuration) {
    this.base = base;
    this.http = http;
    this.configuration = configuration;
  }

  public static ApiClient create(String server, Path ca, Path cert, Path key) {
    return create(server, ca, cert, key, "configuration: server " + server);
  }

  /**
   * A client; {@code configuration} names where its settings came from, for error messages (see
   * {@link ClientSettings#describe()}).
   */
  public static ApiClient create(
      String server, Path ca, Path cert, Path key, String configuration) {
    try {
      SSLContext tls = TlsContexts.create(cert, key, ca);
      HttpClient http =
          HttpClient.newBuilder()
              .sslContext(tls)
              .connectTimeout(Duration.ofSeconds(10))
              .version(HttpClient.Version.HTTP_1_1)
              .build();
      tracked(http);
      URI base =
          URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
      if (base.getScheme() == null || base.getHost() == null) {
        throw new IllegalArgumentException(server);
      }
      return new ApiClient(base, http, configuration);
    } catch (IOException e) {
      throw CliException.usage(
          "cannot load client credentials: "
              + ErrorHandler.oneLine(e.getMessage())
              + " ["
              + configuration
              + "]");
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid server URL: " + server + " [" + configuration + "]");
    }
  }

  /** Registers {@code http} to be closed by {@link #closeAll()}; returns it. */
  static HttpClient tracked(HttpClient http) {
    OPEN.add(http);
    return http;
  }

  /**
   * Stops the selector threads of every client this process created (in-flight exchanges are
   * abandoned: the CLI calls this only when the command has finished).
   */
  public static void closeAll() {
    for (HttpClient http : OPEN) {
      http.shutdownNow();
    }
    for (HttpClient http : OPEN) {
      try {
        http.awaitTermination(Duration.ofMillis(200));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    OPEN.clear();
  }

  /** The absolute URL of {@code path} on this server. */
  public URI resolve(String path) {
    return base.resolve(path);
  }

  public static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public URI base() {
    return base;
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public JsonNode post(String path, Object body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .POST(json(body))
            .header("Content-Type", "application/json"));
  }

  public JsonNode put(String path, Object body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .PUT(json(body))
            .header("Content-Type", "application/json"));
  }

  public JsonNode delete(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    return HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8);
  }

  /** GETs a text answer (e.g. {@code text/plain}); problems as for JSON answers. */
  public String getText(String path) {
    HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(base.resolve(path)).GET());
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return new String(response.body(), StandardCharsets.UTF_8);
    }
    return send(response).toString();
  }

  private JsonNode send(HttpRequest.Builder request) {
    return send(exchange(request));
  }

  private HttpResponse<byte[]> exchange(HttpRequest.Builder request) {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw CliException.unavailable(
          "cannot connect to " + base + " (is 'arbiter serve' running?) [" + configuration + "]",
          null);
    } catch (javax.net.ssl.SSLHandshakeException e) {
      // a certificate the server or this client refuses: retrying cannot help
      throw CliException.usage(
          "TLS with "
              + base
              + " failed: "
              + ErrorHandler.oneLine(e.getMessage())
              + " ["
              + configuration
              + "]");
    } catch (IOException e) {
      throw CliException.unavailable(
          "request to "
              + base
              + " failed: "
              + ErrorHandler.oneLine(e.getMessage())
              + " ["
              + configuration
              + "]",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.usage("interrupted");
    }
    return response;
  }

  private JsonNode send(HttpResponse<byte[]> response) {
    JsonNode body;
    try {
      body =
          response.body().length == 0
              ? Json.mapper().createObjectNode()
              : Json.readTree(response.body());
    } catch (IOException e) {
      String message = "server answered " + response.statusCode() + " with a body that is not JSON";
      throw unavailable(response.statusCode())
          ? CliException.unavailable(message, null)
          : CliException.usage(message);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return body;
    }
    String type = body.path("type").asText("");
    String slug =
        type.startsWith("urn:arbiter:problem:")
            ? type.substring("urn:arbiter:problem:".length())
            : "http-" + status;
    StringBuilder message =
        new StringBuilder(slug + ": " + body.path("detail").asText("HTTP " + status));
    int shown = 0;
    for (JsonNode problem : body.path("problems")) {
      if (shown++ == 0) {
        continue; // the first repeats the headline
      }
      if (shown > 6) {
        message.append(" (and more)");
        break;
      }
      message
          .append("; ")
          .append(problem.path("type").asText().replace("urn:arbiter:problem:", ""))
          .append(": ")
          .append(problem.path("detail").asText());
    }
    if (status == 401 || status == 403) {
      message.append(" [").append(configuration).append("]");
    }
    JsonNode problem = body.has("type") ? body : null;
    if (unavailable(status)) {
      throw CliException.unavailable(message.toString(), problem);
    }
    throw new CliException(
        status >= 500 ? ExitCode.USAGE : ExitCode.REFUSED, message.toString(), problem);
  }

  /** Bad gateway, unavailable (database failover, shed load), gateway timeout: worth a retry. */
  private static boolean unavailable(int status) {
    return status == 502 || status == 503 || status == 504;
  }
}
