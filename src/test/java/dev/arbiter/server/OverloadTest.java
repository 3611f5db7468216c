// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.http.Admission;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Overload behaviour over HTTPS (issue 15 item 5): past the concurrency limit attestation requests
 * are shed at once with 503 overloaded and Retry-After; a client over its rate gets 429
 * rate-limited with Retry-After while another client proceeds; both are counted in /metrics.
 */
class OverloadTest {

  private static void workload(TestServer server) {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "busy"));
    operator.post(
        "/v1/workloads/busy/versions",
        Map.of("version", "1", "reference_values", Map.of("sample", Map.of("measurement", "ab"))));
    operator.post("/v1/workloads/busy/policy/accept", Map.of("version", "1", "reason", "go"));
    server.server().services().policyCache().reload("busy");
  }

  /** An HTTPS client whose connections come from {@code source} (a loopback address). */
  private static HttpClient client(TestServer server, String source) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(TlsContexts.create(null, null, server.dataDir().resolve("ca.pem")))
        .localAddress(InetAddress.getByName(source))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static HttpResponse<String> post(
      HttpClient client, TestServer server, String path, Object body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.uri().resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Challenge, sign sample evidence over its nonce, attest: the attest response. */
  private static HttpResponse<String> attest(HttpClient client, TestServer server)
      throws Exception {
    HttpResponse<String> challenge = post(client, server, "/v1/challenge", Map.of());
    assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(200);
    String nonce = Json.readTree(challenge.body()).path("nonce").asText();
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            "ab",
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workload", "busy");
    body.put("instance_id", "i-1");
    body.put("nonce", nonce);
    body.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    body.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    return post(client, server, "/v1/attest", body);
  }

  private static String problemType(HttpResponse<String> response) throws Exception {
    return Json.readTree(response.body()).path("type").asText();
  }

  private static String metrics(TestServer server) {
    return server.anonymous().get("/metrics").text();
  }

  @Test
  void atCapacity_attestIsShedWith503OverloadedAndRetryAfter_thenSucceedsWhenASlotFrees()
      throws Exception {
    try (TestServer server =
        TestServer.start(config ->
            config
                .withDev(true)
                .withAdmission(
                    Admission.Settings.unlimited()
                        .withMaxInflight(1)
                        .withQueueBudget(Duration.ofMillis(20))))) {
      workload(server);
      HttpClient client = client(server, "127.0.0.1");
      assertThat(attest(client, server).statusCode()).isEqualTo(200);
      Admission admission = server.server().services().admission();
      HttpResponse<String> shed;
      // the only slot is busy (held here, as a long appraisal would)
      try (Admission.Permit busy = admission.enter()) {
        shed = post(client, server, "/v1/challenge", Map.of());
      }
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).contains("1");
      assertThat(shed.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(problemType(shed)).isEqualTo("urn:arbiter:problem:overloaded");
      // the rest is unaffected once the slot is free
      HttpResponse<String> after = attest(client, server);
      assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
      assertThat(admission.shedCount()).isEqualTo(1);
      assertThat(metrics(server)).contains("arbiter_http_shed_total 1.0");
    }
  }

  @Test
  void noisyClient_isRateLimitedWith429_whileAnotherClientAttests() throws Exception {
    try (TestServer server =
        TestServer.start(config ->
            config
                .withDev(true)
                // 3 requests at once, then one per 100 s: nothing refills during the test
                .withAdmission(Admission.Settings.defaults().withRatePerClient(0.01, 3)))) {
      workload(server);
      HttpClient noisy = client(server, "127.0.0.2");
      HttpClient quiet = client(server, "127.0.0.1");
      int ok = 0;
      HttpResponse<String> limited = null;
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = post(noisy, server, "/v1/challenge", Map.of());
        if (response.statusCode() == 200) {
          ok++;
        } else {
          limited = response;
        }
      }
      assertThat(ok).isEqualTo(3);
      assertThat(limited).isNotNull();
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(problemType(limited)).isEqualTo("urn:arbiter:problem:rate-limited");
      assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 100L);
      // the other client's challenge and attest still pass (2 of its own 3 tokens)
      HttpResponse<String> attested = attest(quiet, server);
      assertThat(attested.statusCode()).as(attested.body()).isEqualTo(200);
      assertThat(server.server().services().admission().limitedCount()).isEqualTo(3);
      assertThat(metrics(server)).contains("arbiter_http_rate_limited_total 3.0");
    }
  }
}
