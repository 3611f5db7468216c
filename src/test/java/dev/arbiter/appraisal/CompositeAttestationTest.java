// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.evidence.nvidia.GpuFixtures;
import dev.arbiter.evidence.nvidia.NvidiaGpuScheme;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Hex;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Composite appraisal: a CPU TEE and the GPU it uses, in one EAR with two submodules. */
class CompositeAttestationTest {
  private static final GpuFixtures GPU = new GpuFixtures();
  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(config ->
            config
                .withDev(true)
                .withSchemes(
                    BuiltInSchemes.registry().with(new NvidiaGpuScheme(GPU.root, GPU.root))));
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "ml"));
    var registered =
        operator.post(
            "/v1/workloads/ml/versions",
            Map.of(
                "version",
                "1",
                "reference_values",
                Map.of(
                    "sample",
                    Map.of("measurement", "c0de"),
                    "nvidia-gpu",
                    Map.of("measurements.1", Hex.encode(GpuFixtures.filled(48, 1))))));
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    operator.post("/v1/workloads/ml/policy/accept", Map.of("version", "1", "reason", "go"));
    server.server().services().policyCache().reload("ml");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static TestServer.Response attest(boolean withGpu, boolean rightGpuNonce) throws Exception {
    return attest(withGpu, rightGpuNonce, GPU);
  }

  static TestServer.Response attest(boolean withGpu, boolean rightGpuNonce, GpuFixtures gpu)
      throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    byte[] binding = Binding.value(Base64.getUrlDecoder().decode(nonce), key);
    String cpu =
        SampleEvidence.sign(new ECKeyGenerator(Curve.P_256).generate(), "c0de", null, binding);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "ml");
    request.put("instance_id", "gpu-node-1");
    request.put("nonce", nonce);
    request.put("tee_key", key.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(cpu.getBytes(StandardCharsets.US_ASCII))));
    if (withGpu) {
      byte[] gpuNonce = Arrays.copyOf(binding, 32);
      if (!rightGpuNonce) {
        gpuNonce[0] ^= 1;
      }
      request.put(
          "devices",
          List.of(
              Map.of(
                  "format",
                  "nvidia-gpu",
                  "data",
                  Base64.getEncoder().encodeToString(gpu.report(gpuNonce)),
                  "certificates",
                  List.of(
                      Base64.getEncoder()
                          .encodeToString(gpu.chainPem().getBytes(StandardCharsets.US_ASCII))))));
    }
    return server.anonymous().post("/v1/attest", request);
  }

  @Test
  void cpuAndGpu_appraisedTogether_giveTwoSubmodules() throws Exception {
    var response = attest(true, true);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    var jwks =
        com.nimbusds.jose.jwk.JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
    var ear =
        new dev.arbiter.token.EarVerifier(jwks, java.time.Clock.systemUTC())
            .verify(response.json().path("token").asText());
    assertThat(ear.submods()).containsOnlyKeys("ml", "nvidia-gpu");
    assertThat(ear.submods().get("nvidia-gpu").status().label()).isEqualTo("affirming");
    assertThat(ear.submods().get("nvidia-gpu").claims().get("arbiter.format"))
        .isEqualTo("nvidia-gpu");
  }

  @Test
  void cpuAndBlackwellGpu_appraisedTogether_withBlackwellClaims() throws Exception {
    var response = attest(true, true, GPU.blackwellSibling());
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    var jwks =
        com.nimbusds.jose.jwk.JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
    var ear =
        new dev.arbiter.token.EarVerifier(jwks, java.time.Clock.systemUTC())
            .verify(response.json().path("token").asText());
    assertThat(ear.submods().get("nvidia-gpu").status().label()).isEqualTo("affirming");
  }

  @Test
  void missingOrUnboundGpu_isRefused() throws Exception {
    var missing = attest(false, false);
    assertThat(missing.problem()).isEqualTo("device-not-attested");
    assertThat(missing.json().path("detail").asText()).contains("requires an attested nvidia-gpu");
    var unbound = attest(true, false);
    assertThat(unbound.problem()).isEqualTo("device-not-attested");
    assertThat(unbound.json().path("problems").findValuesAsText("type"))
        .contains("urn:arbiter:problem:report-data-mismatch");
  }
}
