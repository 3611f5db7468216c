// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs that must not pollute fleet records, metrics or logs (the attacks replayed over HTTPS),
 * and the response's {@code expires_at} equal to the EAR's {@code exp}. The 1,000-format replay
 * runs against the metrics sink directly ({@code server.MetricsTest}).
 */
class AttestationInputsTest {
  private static final TestServer server = TestServer.shared();

  @BeforeAll
  static void workload() {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "inputs"));
    operator.post(
        "/v1/workloads/inputs/versions",
        Map.of(
            "version", "1.0", "reference_values", Map.of("sample", Map.of("measurement", "aa01"))));
    operator.post("/v1/workloads/inputs/policy/accept", Map.of("version", "1.0", "reason", "go"));
    server.server().services().policyCache().reload("inputs");
  }

  private static String nonce() {
    return server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
  }

  private static TestServer.Response attest(
      String instanceId, String format, String nonce, ECKey teeKey, String evidence) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "inputs");
    request.put("instance_id", instanceId);
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            format,
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    return server.anonymous().post("/v1/attest", request);
  }

  private static String evidence(String nonce, ECKey teeKey) throws Exception {
    return SampleEvidence.sign(
        new ECKeyGenerator(Curve.P_256).generate(),
        "aa01",
        null,
        Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
  }

  private static long fleetInstances() throws Exception {
    server.server().services().fleet().flush(10_000);
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(h ->
            h.createQuery("select count(*) from fleet_instance where workload = 'inputs'")
                .mapTo(Long.class)
                .one());
  }

  @Test
  void attest_expiresAt_equalsTheEarsExp() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = nonce();
    var response = attest("i-exp", "sample", nonce, teeKey, evidence(nonce, teeKey));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    JsonNode body = response.json();
    Instant exp =
        SignedJWT.parse(body.path("token").asText())
            .getJWTClaimsSet()
            .getExpirationTime()
            .toInstant();
    assertThat(Instant.parse(body.path("expires_at").asText())).isEqualTo(exp);
    assertThat(SignedJWT.parse(body.path("token").asText()).getJWTClaimsSet().getJWTID())
        .isNotBlank();
  }

  @Test
  void attest_randomInstanceIdsWithABadNonce_doNotChangeTheFleet() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    long before = fleetInstances();
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    for (int i = 0; i < 20; i++) {
      var response =
          attest("bogus-" + UUID.randomUUID(), "sample", forged, teeKey, evidence(forged, teeKey));
      assertThat(response.problem()).isEqualTo("nonce-invalid");
    }
    assertThat(fleetInstances()).isEqualTo(before);
  }

  @Test
  void attest_instanceIdWithNul_isAnInvalidIdentifierProblem() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = nonce();
    var response = attest("i-\u0000-1", "sample", nonce, teeKey, evidence(nonce, teeKey));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problem()).isEqualTo("invalid-identifier");
    var tooLong = attest("i".repeat(129), "sample", nonce, teeKey, evidence(nonce, teeKey));
    assertThat(tooLong.problem()).isEqualTo("invalid-identifier");
  }

  @Test
  void attest_hundredBogusFormats_doNotGrowTheMetrics() throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = nonce();
    String evidence = evidence(nonce, teeKey);
    long before = server.anonymous().get("/metrics").text().lines().count();
    for (int i = 0; i < 100; i++) {
      var response = attest("i-m", "bogus-" + i, nonce(), teeKey, evidence);
      assertThat(response.problem()).isEqualTo("scheme-not-allowed");
    }
    String metrics = server.anonymous().get("/metrics").text();
    assertThat(metrics).doesNotContain("bogus-");
    assertThat(metrics).contains("arbiter_attestations_unverified_total");
    var formats =
        java.util.regex.Pattern.compile("format=\"([^\"]*)\"")
            .matcher(metrics)
            .results()
            .map(m -> m.group(1))
            .distinct()
            .toList();
    var allowed =
        new java.util.HashSet<>(
            server.server().services().config().schemes().all().stream()
                .map(s -> s.descriptor().id())
                .toList());
    allowed.add("other");
    assertThat(allowed).containsAll(formats);
    assertThat(metrics.lines().count())
        .as("series added by 100 bogus formats")
        .isLessThan(before + 10);
  }
}
