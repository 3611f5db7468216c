// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Verifier hygiene end to end: a secret released to an accepted version is no longer released once
 * an imported advisory makes that version vulnerable (its EARs turn to warning with the OSV id).
 */
class VulnerableVersionReleaseTest {
  private static final TestServer server = TestServer.shared();
  private final KeyBrokerFixture kb = new KeyBrokerFixture(server);

  @Test
  void advisoryHitsAcceptedVersion_releaseRefused() throws Exception {
    String workload = "kb-vuln";
    String measurement = "c0ffee01";
    String sha = Hex.encode(Digests.sha256("kb-vuln-artifact".getBytes(StandardCharsets.UTF_8)));
    kb.workload(workload);
    var operator = server.operator();
    String sbom =
        Json.write(
            Map.of(
                "bomFormat",
                "CycloneDX",
                "specVersion",
                "1.4",
                "version",
                1,
                "metadata",
                Map.of(
                    "component",
                    Map.of(
                        "type",
                        "application",
                        "name",
                        "app",
                        "hashes",
                        List.of(Map.of("alg", "SHA-256", "content", sha)))),
                "components",
                List.of(
                    Map.of(
                        "type",
                        "library",
                        "name",
                        "kb-vuln-lib",
                        "version",
                        "1.0.0",
                        "purl",
                        "pkg:npm/kb-vuln-lib@1.0.0"))));
    Map<String, Object> version = new LinkedHashMap<>();
    version.put("version", "1.0");
    version.put("reference_values", Map.of("sample", Map.of("measurement", measurement)));
    version.put("digest", "sha256:" + sha);
    version.put("sbom", Base64.getEncoder().encodeToString(sbom.getBytes(StandardCharsets.UTF_8)));
    var registered = operator.post("/v1/workloads/" + workload + "/versions", version);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    operator.post(
        "/v1/workloads/" + workload + "/policy/accept",
        Map.of("version", "1.0", "reason", "release"));
    server.server().services().policyCache().reload(workload);
    assertThat(
            kb.put("kb-vuln-secret", workload, "s3cret-kb-vuln", "version == '1.0'", false)
                .status())
        .isEqualTo(201);

    ECKey tee = KeyBrokerFixture.newKey();
    assertThat(
            kb.release(
                    "kb-vuln-secret",
                    kb.body(tee, "kb-vuln-secret", attest(workload, measurement, tee)))
                .status())
        .isEqualTo(200);

    var imported =
        operator.post(
            "/v1/advisories",
            Map.of(
                "records",
                List.of(
                    Map.of(
                        "id",
                        "GHSA-kbvu-ln00-0001",
                        "modified",
                        "2026-03-01T00:00:00Z",
                        "severity",
                        List.of(
                            Map.of(
                                "type",
                                "CVSS_V3",
                                "score",
                                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
                        "affected",
                        List.of(
                            Map.of(
                                "package",
                                Map.of("ecosystem", "npm", "name", "kb-vuln-lib"),
                                "ranges",
                                List.of(
                                    Map.of(
                                        "type",
                                        "SEMVER",
                                        "events",
                                        List.of(
                                            Map.of("introduced", "0"),
                                            Map.of("fixed", "1.0.1"))))))))));
    assertThat(imported.status()).as(imported.text()).isEqualTo(200);
    server.server().services().policyCache().reload(workload);

    ECKey tee2 = KeyBrokerFixture.newKey();
    var refused =
        kb.release(
            "kb-vuln-secret", kb.body(tee2, "kb-vuln-secret", attest(workload, measurement, tee2)));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.problem()).isEqualTo("release-refused");
  }

  private static String attest(String workload, String measurement, ECKey key) throws Exception {
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            KeyBrokerFixture.newKey(),
            measurement,
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), key));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", workload);
    request.put("instance_id", "i-" + System.nanoTime());
    request.put("nonce", nonce);
    request.put("tee_key", key.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    var response = server.anonymous().post("/v1/attest", request);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("token").asText();
  }
}
