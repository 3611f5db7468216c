// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * HTTP clients for the HA harnesses ({@link HaFailover}, {@link HaScaleOut}): an operator client
 * (mutual TLS with the operator certificate of a replica's data directory) and sample TEEs, each
 * with its own loopback source address so that HAProxy's {@code balance source} spreads them over
 * the replicas, as distinct hosts would be.
 */
final class HaClients {
  private HaClients() {}

  /** One answer: status, parsed JSON body (or null node), Retry-After. */
  record Answer(int status, JsonNode json, String text) {
    String problemType() {
      return json.path("type").asText("");
    }
  }

  /** A JSON-over-HTTPS client for one base URL. */
  static final class Api {
    private final HttpClient http;
    private final URI base;

    Api(HttpClient http, URI base) {
      this.http = http;
      this.base = base;
    }

    URI base() {
      return base;
    }

    Api at(URI other) {
      return new Api(http, other);
    }

    Answer get(String path) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    Answer put(String path, Object body) throws IOException, InterruptedException {
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json = NullNode.getInstance();
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.contains("json") && !response.body().isEmpty()) {
        try {
          json = Json.mapper().readTree(response.body());
        } catch (IOException e) {
          json = NullNode.getInstance();
        }
      }
      return new Answer(response.statusCode(), json, response.body());
    }
  }

  static SSLContext operatorTls(Path dataDir) throws IOException {
    return TlsContexts.create(
        dataDir.resolve("clients/operator.pem"),
        dataDir.resolve("clients/operator-key.pem"),
        dataDir.resolve("ca.pem"));
  }

  static SSLContext anonymousTls(Path dataDir) throws IOException {
    return TlsContexts.create(null, null, dataDir.resolve("ca.pem"));
  }

  static HttpClient client(SSLContext tls, InetAddress local) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (local != null) {
      builder.localAddress(local);
    }
    return builder.build();
  }

  /** The loopback source address of TEE {@code i}: 127.1.x.y (never 127.0.0.1). */
  static InetAddress teeAddress(int i) throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 200), (byte) (i % 200 + 1)});
  }

  /** A sample TEE: its hardware key, its TEE key (bound into the evidence) and instance id. */
  static final class Tee {
    final String instanceId;
    final ECKey attestationKey;
    final ECKey teeKey;

    Tee(String instanceId) {
      this.instanceId = instanceId;
      try {
        this.attestationKey = new ECKeyGenerator(Curve.P_256).generate();
        this.teeKey = new ECKeyGenerator(Curve.P_256).generate();
      } catch (com.nimbusds.jose.JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The attest request for {@code nonce}, measuring {@code measurement}. */
    Map<String, Object> attestRequest(String workload, String nonce, String measurement) {
      return dev.arbiter.testing.SampleAttest.request(
          workload, instanceId, nonce, teeKey, attestationKey, measurement, null);
    }

    /** One challenge + attest on {@code api}; the attest answer (or the challenge's failure). */
    Answer attestOnce(Api api, String workload, String measurement)
        throws IOException, InterruptedException {
      Answer challenge = api.post("/v1/challenge", Map.of());
      if (challenge.status() != 200) {
        return challenge;
      }
      return api.post(
          "/v1/attest",
          attestRequest(workload, challenge.json().path("nonce").asText(), measurement));
    }
  }
}
