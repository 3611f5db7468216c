// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Drives the issue's scenario through the REST API of a real server (sample scheme): a workload
 * with a supply-chain policy; v1 accepted and attested; rollout #1 to v2 completed within its
 * deadline objective (a met obligation); rollout #2 to v3 aborted; an advisory arriving later that
 * hits v2's dependency, whose phase-out obligation (escalate) is missed.
 */
final class GovernanceScenario {
  static final String WORKLOAD = "gov-scenario";
  static final String BUILDER = "https://builders.test/gov@v1";
  static final String REPO = "https://github.com/example/gov";
  static final ObjectNode CONFIGURATION = configuration();

  final TestServer server;
  final KeyPair builderKey = CertBuilder.ecKeyPair("secp256r1");
  final Map<String, String> digests = new LinkedHashMap<>();
  long rolloutCompleted;
  long rolloutAborted;

  GovernanceScenario(TestServer server) {
    this.server = server;
  }

  private static ObjectNode configuration() {
    ObjectNode c = Json.mapper().createObjectNode();
    c.put("crypto", "sha256:" + "ab".repeat(32));
    c.put("trust_roots", "sha256:" + "cd".repeat(32));
    return c;
  }

  static String configurationDigest() {
    return Hex.encode(Digests.sha256(Jcs.canonicalize((JsonNode) CONFIGURATION)));
  }

  void run() throws Exception {
    var operator = server.operator();
    ok(
        operator.post(
            "/v1/workloads",
            Map.of(
                "name",
                WORKLOAD,
                "objectives",
                Map.of("critical", Map.of("deadline", "PT1H", "on_deadline", "escalate")))));
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("builder_ids", List.of(BUILDER));
    policy.put("keys", List.of(publicPem()));
    policy.put("quorum", 1);
    policy.put("vulnerabilities", Map.of("block_at_cvss", 9.0));
    policy.put("phase_out_objective", "critical");
    ok(
        operator.put(
            "/v1/workloads/" + WORKLOAD + "/supply-chain",
            Map.of("policy", policy, "reason", "release policy")));
    for (String v : List.of("v1", "v2", "v3")) {
      register(v);
    }
    ok(
        operator.post(
            "/v1/workloads/" + WORKLOAD + "/policy/accept",
            Map.of("version", "v1", "reason", "initial deployment")));
    reload();
    assertThat(attest("v1").path("status").asText()).isEqualTo("affirming");

    rolloutCompleted = startAndStage("v2", "critical");
    assertThat(attest("v2").path("status").asText()).isEqualTo("affirming");
    server.server().services().fleet().flush(5000);
    server.server().services().scheduler().tick();
    ok(
        operator.post(
            "/v1/workloads/" + WORKLOAD + "/rollouts/current/complete",
            Map.of("reason", "all instances on v2")));
    reload();

    rolloutAborted = startAndStage("v3", null);
    ok(
        operator.post(
            "/v1/workloads/" + WORKLOAD + "/rollouts/current/abort",
            Map.of("reason", "canary failed")));
    reload();

    // the advisory arrives later: v2's gov-lib 1.0.0 is CRITICAL, fixed in 1.2.0
    ok(
        operator.post(
            "/v1/advisories",
            Map.of(
                "records",
                List.of(osv("GHSA-gov0-test-0001", "gov-lib", "1.2.0")),
                "source",
                "feed")));
    // the phase-out deadline passes: escalated, missed
    server
        .server()
        .database()
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update obligation set due_at = now() - interval '1 minute' where workload = ? and"
                    + " kind = 'vulnerability'",
                WORKLOAD));
    server.server().services().supplyChain().tick();
    server.server().services().transparencyLog().flush();
  }

  private long startAndStage(String to, String objective) {
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("to", to);
    start.put("reason", "release " + to);
    if (objective != null) {
      start.put("objective", objective);
    }
    var started = server.operator().post("/v1/workloads/" + WORKLOAD + "/rollouts", start);
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    assertThat(started.json().path("state").asText()).as(started.text()).isEqualTo("STAGED");
    long id = started.json().path("id").asLong();
    await(
        "staged revision served everywhere",
        () -> server.server().services().rolloutReports().stagedEverywhere(WORKLOAD, id));
    server.server().services().scheduler().tick();
    reload();
    return id;
  }

  private void reload() {
    server.server().services().policyCache().reload(WORKLOAD);
  }

  private void register(String version) throws Exception {
    String sha = Hex.encode(Digests.sha256((WORKLOAD + version).getBytes(StandardCharsets.UTF_8)));
    digests.put(version, sha);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("digest", "sha256:" + sha);
    body.put(
        "reference_values",
        Map.of("sample", Map.of("measurement", sha), "configuration", CONFIGURATION));
    body.put("provenance", List.of(b64(provenance(sha))));
    body.put("sbom", b64(sbom(sha, List.of("pkg:npm/gov-lib@1.0.0", "pkg:npm/gov-util@2.0.0"))));
    var registered = server.operator().post("/v1/workloads/" + WORKLOAD + "/versions", body);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
  }

  JsonNode attest(String version) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            digests.get(version),
            configurationDigest(),
            Binding.value(Base64.getUrlDecoder().decode(nonce), key));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", WORKLOAD);
    request.put("instance_id", "i-" + version + "-" + System.nanoTime());
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
    return response.json();
  }

  private String publicPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(builderKey.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private byte[] provenance(String sha256) throws Exception {
    ObjectNode statement = Json.mapper().createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement
        .putArray("subject")
        .addObject()
        .put("name", "app.tar")
        .putObject("digest")
        .put("sha256", sha256);
    statement.put("predicateType", "https://slsa.dev/provenance/v1");
    ObjectNode predicate = statement.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", "https://example.test/build/v1");
    definition.putObject("externalParameters").put("repository", REPO);
    predicate.putObject("runDetails").putObject("builder").put("id", BUILDER);
    byte[] payload = Json.write(statement).getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(builderKey.getPrivate());
    signer.update(Pae.encode(type, payload));
    ObjectNode envelope = Json.mapper().createObjectNode();
    envelope.put("payloadType", type).put("payload", Base64.getEncoder().encodeToString(payload));
    envelope
        .putArray("signatures")
        .addObject()
        .put("keyid", "")
        .put("sig", Base64.getEncoder().encodeToString(signer.sign()));
    return Json.write(envelope).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sbom(String sha256, List<String> purls) {
    ObjectNode bom = Json.mapper().createObjectNode();
    bom.put("bomFormat", "CycloneDX").put("specVersion", "1.5").put("version", 1);
    ObjectNode component = bom.putObject("metadata").putObject("component");
    component.put("type", "application").put("name", "app");
    component.putArray("hashes").addObject().put("alg", "SHA-256").put("content", sha256);
    var components = bom.putArray("components");
    for (String purl : purls) {
      String nameVersion = purl.substring(purl.lastIndexOf('/') + 1);
      components
          .addObject()
          .put("type", "library")
          .put("name", nameVersion.split("@")[0])
          .put("version", nameVersion.split("@")[1])
          .put("purl", purl);
    }
    return Json.write(bom).getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> osv(String id, String npmPackage, String fixed) {
    return Map.of(
        "id",
        id,
        "modified",
        "2026-01-02T00:00:00Z",
        "severity",
        List.of(Map.of("type", "CVSS_V3", "score", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
        "affected",
        List.of(
            Map.of(
                "package",
                Map.of("ecosystem", "npm", "name", npmPackage),
                "ranges",
                List.of(
                    Map.of(
                        "type",
                        "SEMVER",
                        "events",
                        List.of(Map.of("introduced", "0"), Map.of("fixed", fixed)))))));
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void ok(TestServer.Response response) {
    assertThat(response.status()).as(response.text()).isBetween(200, 201);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long interval = TimeUnit.MILLISECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(interval);
      interval = Math.min(interval * 2, TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
