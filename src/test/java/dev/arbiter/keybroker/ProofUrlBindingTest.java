// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 7, {@code htu}: a proof of possession is bound to the server's configured external
 * URL(s) ({@code serve --external-url}, default the server's own URL), never to the {@code Host}
 * header the client sends. Replays the attack: a proof made for {@code https://evil.example/...}
 * sent with a forged {@code Host: evil.example} is refused.
 */
class ProofUrlBindingTest {
  private static final String WORKLOAD = "htu-payments";
  private static final String SECRET = "htu-db-password";
  private static final URI EXTERNAL = URI.create("https://arbiter.example.com:9443/verifier");
  private static TestServer external;

  private final KeyBrokerFixture kb = new KeyBrokerFixture(TestServer.shared());
  private final ECKey teeKey = KeyBrokerFixture.newKey();

  @BeforeAll
  static void secret() {
    setUp(new KeyBrokerFixture(TestServer.shared()));
    external = TestServer.start(config -> config.withExternalUrls(List.of(EXTERNAL)));
    setUp(new KeyBrokerFixture(external));
  }

  @AfterAll
  static void stop() {
    external.close();
  }

  private static void setUp(KeyBrokerFixture fixture) {
    fixture.workload(WORKLOAD);
    var put = fixture.put(SECRET, WORKLOAD, "s3cr3t-htu", "status == 'affirming'", false);
    assertThat(put.status()).as(put.text()).isIn(201, 409);
  }

  @Test
  void release_proofForAnotherHost_withForgedHostHeader_isRefused() throws Exception {
    String token = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    String proof =
        PossessionProof.create(
            teeKey,
            "POST",
            URI.create("https://evil.example/v1/resources/" + SECRET),
            kb.nonce(),
            token,
            Instant.now());
    String answer =
        rawPost(
            kb.server,
            "/v1/resources/" + SECRET,
            "evil.example",
            Json.write(Map.of("token", token, "proof", proof)));
    assertThat(answer).startsWith("HTTP/1.1 403");
    assertThat(answer).contains(KeyBrokerProblem.RELEASE_REFUSED.slug());
    assertThat(kb.lastAudit(SECRET).path("action").asText()).isEqualTo("secret.release-refused");
  }

  @Test
  void release_proofForTheServersOwnUrl_withAnyHostHeader_isReleased() throws Exception {
    String token = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    String proof = kb.proof(teeKey, SECRET, kb.nonce(), token, Instant.now());
    String answer =
        rawPost(
            kb.server,
            "/v1/resources/" + SECRET,
            "evil.example",
            Json.write(Map.of("token", token, "proof", proof)));
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(answer).contains("\"jwe\"");
  }

  @Test
  void release_configuredExternalUrl_isTheOnlyHtuAccepted() throws Exception {
    KeyBrokerFixture fixture = new KeyBrokerFixture(external);
    String token = fixture.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    // the server's own loopback URL is no longer an accepted htu once --external-url is given
    var refused = fixture.release(SECRET, fixture.body(teeKey, SECRET, token));
    assertThat(refused.status()).as(refused.text()).isEqualTo(403);
    String proof =
        PossessionProof.create(
            teeKey,
            "POST",
            URI.create(EXTERNAL + "/v1/resources/" + SECRET),
            fixture.nonce(),
            token,
            Instant.now());
    var released = fixture.release(SECRET, Map.of("token", token, "proof", proof));
    assertThat(released.status()).as(released.text()).isEqualTo(200);
  }

  /** One HTTP/1.1 POST over TLS with the given Host header (which HttpClient will not forge). */
  private static String rawPost(TestServer server, String path, String host, String body)
      throws IOException {
    SSLContext context =
        dev.arbiter.crypto.TlsContexts.create(null, null, server.dataDir().resolve("ca.pem"));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (SSLSocket socket =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(server.uri().getHost(), server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      socket.setSoTimeout(15_000);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      int length = -1;
      int headerEnd = -1;
      byte[] buffer = new byte[4096];
      while (headerEnd < 0
          || (length >= 0
              ? answer.size() < headerEnd + length
              : !answer.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n"))) {
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        answer.write(buffer, 0, read);
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        if (headerEnd < 0 && text.contains("\r\n\r\n")) {
          headerEnd = text.indexOf("\r\n\r\n") + 4;
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
          length = m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
