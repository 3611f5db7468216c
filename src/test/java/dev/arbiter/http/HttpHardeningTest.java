// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays malformed-request attacks against the real server: each is a typed 4xx, never a 500 or a
 * leak.
 */
class HttpHardeningTest {
  private final TestServer server = TestServer.shared();
  private final TestServer.Client operator = server.operator();
  private final TestServer.Client anonymous = server.anonymous();

  @Test
  void pathParameter_withNulOrInvalidUtf8_isBadRequest() {
    for (String path :
        new String[] {
          "/v1/workloads/%00",
          "/v1/workloads/a%00b/versions",
          "/v1/workloads/%C3%28",
          "/v1/workloads/x/policy/revisions/%00"
        }) {
      var response = operator.get(path);
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.problem()).as(path).isEqualTo("invalid-field");
    }
  }

  @Test
  void queryParameter_withNul_isBadRequest() {
    var response = operator.get("/v1/audit?target=%00");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problem()).isEqualTo("invalid-field");
  }

  @Test
  void traceAndOptions_onARegisteredPath_areMethodNotAllowed() {
    for (String method : new String[] {"TRACE", "OPTIONS", "PATCH"}) {
      var response =
          operator.send(
              HttpRequest.newBuilder(server.uri().resolve("/v1/workloads"))
                  .method(method, HttpRequest.BodyPublishers.noBody()));
      assertThat(response.status()).as(method).isEqualTo(405);
      assertThat(response.problem()).as(method).isEqualTo("method-not-allowed");
    }
  }

  @Test
  void head_ofAGetRoute_answersLikeGetWithoutBody() {
    var response =
        anonymous.send(
            HttpRequest.newBuilder(server.uri().resolve("/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEmpty();
  }

  @Test
  void unknownRoute_isNotFoundWithoutEchoingThePath() {
    var response = anonymous.get("/v1/%3Cscript%3E");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.text()).doesNotContain("script");
  }

  @Test
  void openRoute_wrongJsonTypes_neverEchoJavaClassNames() {
    for (Object body :
        new Object[] {
          Map.of(
              "workload",
              1,
              "instance_id",
              "i",
              "nonce",
              "n",
              "tee_key",
              Map.of(),
              "evidence",
              Map.of("format", "sample", "data", "")),
          Map.of(
              "workload",
              "w",
              "instance_id",
              "i",
              "nonce",
              "n",
              "tee_key",
              Map.of(),
              "evidence",
              "x"),
          Map.of("workload", "w"),
          "[1,2]"
        }) {
      var response = anonymous.post("/v1/attest", body);
      assertThat(response.status()).as(body.toString()).isBetween(400, 499);
      assertThat(response.text())
          .as(body.toString())
          .doesNotContain("dev.arbiter")
          .doesNotContain("java.")
          .doesNotContain("$");
    }
  }

  @Test
  void tls_offersOnlyTls13AndTls12Aead() throws Exception {
    javax.net.ssl.SSLContext context =
        dev.arbiter.crypto.TlsContexts.create(null, null, server.dataDir().resolve("ca.pem"));
    String host = server.uri().getHost();
    int port = server.uri().getPort();
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(host, port)) {
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    for (String weak :
        new String[] {
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
          "TLS_RSA_WITH_AES_128_GCM_SHA256"
        }) {
      try (javax.net.ssl.SSLSocket socket =
          (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(host, port)) {
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setEnabledCipherSuites(new String[] {weak});
        org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake)
            .as(weak)
            .isInstanceOf(javax.net.ssl.SSLException.class);
      }
    }
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(host, port)) {
      socket.setEnabledProtocols(new String[] {"TLSv1.1"});
      org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake)
          .isInstanceOf(javax.net.ssl.SSLException.class);
    }
  }

  /**
   * A declared body above the route's limit is refused from its headers, before a byte of it is
   * read: the request announces more than the limit and sends one byte; the answer (413
   * body-too-large) comes at once instead of after reading (or waiting for) the body.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "/v1/advisories, 67108865",
    "/v1/collateral, 33554433",
    "/v1/workloads/any/versions, 33554433",
    "/v1/workloads, 1048577",
    "/v1/challenge, 4097"
  })
  void declaredBodyAboveTheRouteLimit_isRefusedBeforeItIsRead(String path, long length)
      throws Exception {
    String answer = exchangeRaw(path, "Content-Length: " + length + "\r\n\r\n{", new byte[0]);
    assertThat(answer).as(path).startsWith("HTTP/1.1 413");
    assertThat(answer).contains("body-too-large");
  }

  /** Without a declared length (chunked) the limit holds on what is read. */
  @Test
  void chunkedBodyAboveTheRouteLimit_isRefused() throws Exception {
    byte[] chunk = new byte[4097]; // /v1/challenge takes at most 4,096 bytes
    java.util.Arrays.fill(chunk, (byte) ' ');
    chunk[0] = '{';
    chunk[chunk.length - 1] = '}';
    String answer = exchangeChunked("/v1/challenge", chunk);
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer).contains("body-too-large");
  }

  /** A chunked body within the limit is read whole, like a declared one. */
  @Test
  void chunkedBodyWithinTheRouteLimit_isRead() throws Exception {
    byte[] body =
        "{\"workload\": \"payments\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String answer = exchangeChunked("/v1/challenge", body);
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(answer).contains("\"nonce\":");
  }

  /** POSTs {@code body} as one chunk and the last (empty) one: no declared length. */
  private String exchangeChunked(String path, byte[] body) throws Exception {
    byte[] end = "\r\n0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] framed = java.util.Arrays.copyOf(body, body.length + end.length);
    System.arraycopy(end, 0, framed, body.length, end.length);
    return exchangeRaw(
        path,
        "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n",
        framed);
  }

  /** POSTs {@code headers} (ending the head) and {@code body} over raw TLS; the answer's start. */
  private String exchangeRaw(String path, String headers, byte[] body) throws Exception {
    javax.net.ssl.SSLContext context =
        dev.arbiter.crypto.TlsContexts.create(
            server.dataDir().resolve("clients/operator.pem"),
            server.dataDir().resolve("clients/operator-key.pem"),
            server.dataDir().resolve("ca.pem"));
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            context
                .getSocketFactory()
                .createSocket(server.uri().getHost(), server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + server.uri().getAuthority()
              + "\r\nContent-Type: application/json\r\n"
              + headers;
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      byte[] buffer = new byte[4096];
      int read = socket.getInputStream().read(buffer);
      return new String(buffer, 0, Math.max(read, 0), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
