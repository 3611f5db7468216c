// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.evidence.sample.SampleEvidence;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Attestations with the development ({@code sample}) scheme, for tests and harnesses. */
public final class SampleAttest {
  private SampleAttest() {}

  /**
   * The body of {@code POST /v1/attest}: sample evidence of {@code measurement} (and an optional
   * configuration digest) signed by {@code attestationKey}, bound to {@code nonce} and {@code
   * teeKey}.
   */
  public static Map<String, Object> request(
      String workload,
      String instance,
      String nonce,
      ECKey teeKey,
      ECKey attestationKey,
      String measurement,
      String configuration) {
    String evidence =
        SampleEvidence.sign(
            attestationKey,
            measurement,
            configuration,
            Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", workload);
    request.put("instance_id", instance);
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    return request;
  }

  /** One challenge and attestation of {@code instance} with fresh keys; the attest answer. */
  public static TestServer.Response attest(
      TestServer server,
      String workload,
      String instance,
      String measurement,
      String configuration) {
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    return server
        .anonymous()
        .post(
            "/v1/attest",
            request(workload, instance, nonce, newKey(), newKey(), measurement, configuration));
  }

  /** A fresh P-256 key. */
  public static ECKey newKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
