// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static dev.arbiter.supplychain.SupplyChainFixture.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.supplychain.SupplyChainFixture.Builder;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Version admission, the rollout gate, advisory imports and post-deployment monitoring through the
 * REST API.
 */
class SupplyChainFlowTest {
  private static final TestServer server = TestServer.shared();
  private static final Builder B1 = Builder.create("https://builders.test/b1@v1");
  private static final Builder B2 = Builder.create("https://builders.test/b2@v1");
  private static final Builder ROGUE = Builder.create("https://builders.test/rogue@v1");

  static Map<String, Object> policy(int quorum) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("builder_ids", List.of(B1.id(), B2.id()));
    policy.put("keys", List.of(B1.publicPem(), B2.publicPem(), ROGUE.publicPem()));
    policy.put("quorum", quorum);
    policy.put(
        "cel",
        "provenance.buildDefinition.externalParameters.repository == '"
            + SupplyChainFixture.REPO
            + "' && builder_id != ''");
    policy.put("vulnerabilities", Map.of("block_at_cvss", 9.0));
    policy.put("phase_out_objective", "critical");
    policy.put(
        "derive",
        List.of(Map.of("scheme", "sample", "claim", "measurement", "from", "subject-digest")));
    return policy;
  }

  static void workload(String name, int quorum) {
    var operator = server.operator();
    var created =
        operator.post(
            "/v1/workloads",
            Map.of(
                "name",
                name,
                "objectives",
                Map.of("critical", Map.of("deadline", "PT1H", "on_deadline", "revoke"))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    var set =
        operator.put(
            "/v1/workloads/" + name + "/supply-chain",
            Map.of("policy", policy(quorum), "reason", "release policy"));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
  }

  static TestServer.Response register(
      String workload, String version, String sha, List<byte[]> provenance, byte[] sbom) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("digest", "sha256:" + sha);
    body.put("provenance", provenance.stream().map(SupplyChainFixture::b64).toList());
    if (sbom != null) {
      body.put("sbom", b64(sbom));
    }
    return server.operator().post("/v1/workloads/" + workload + "/versions", body);
  }

  static long documents() {
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(h ->
            h.createQuery("select count(*) from supply_chain_document").mapTo(Long.class).one());
  }

  static List<String> problemTypes(TestServer.Response response) {
    List<String> types = new ArrayList<>();
    JsonNode body = response.json();
    if (body.has("problems")) {
      body.path("problems")
          .forEach(p -> types.add(p.path("type").asText().replace("urn:arbiter:problem:", "")));
    } else {
      types.add(response.problem());
    }
    return types;
  }

  @Test
  void admitted_goodProvenanceQuorumCleanSbom_storedAndStaged() {
    workload("sc-good", 2);
    String sha = SupplyChainFixture.artifact("good");
    byte[] sbom = SupplyChainFixture.sbom(sha, List.of("pkg:npm/sc-good-lib@1.2.3"));
    var registered =
        register(
            "sc-good",
            "1.0.0",
            sha,
            List.of(
                B1.provenance(sha, SupplyChainFixture.REPO),
                B2.provenance(sha, SupplyChainFixture.REPO)),
            sbom);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    JsonNode content = registered.json().path("content");
    assertThat(content.path("reference_values").path("sample").path("measurement").asText())
        .isEqualTo(sha);
    assertThat(content.path("artifact_digest").asText()).isEqualTo("sha256:" + sha);
    assertThat(content.path("provenance")).hasSize(2);
    assertThat(content.path("provenance").findValuesAsText("builder_id"))
        .containsExactlyInAnyOrder(B1.id(), B2.id());
    assertThat(content.path("provenance").get(0).path("digest").asText()).startsWith("sha256:");
    assertThat(content.path("sbom").path("format").asText()).isEqualTo("cyclonedx-1.5");
    assertThat(content.path("sbom").path("bound_to").asText()).isEqualTo("sha256:" + sha);

    JsonNode check = server.operator().get("/v1/workloads/sc-good/versions/1.0.0/check").json();
    assertThat(check.path("admissible").asBoolean()).as(check.toString()).isTrue();
    assertThat(check.path("quorum").path("builders")).hasSize(2);

    var started =
        server
            .operator()
            .post(
                "/v1/workloads/sc-good/rollouts", Map.of("to", "1.0.0", "reason", "release 1.0.0"));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    assertThat(started.json().path("state").asText()).isEqualTo("STAGED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bad-signature",
        "untrusted-builder",
        "digest-mismatch",
        "quorum",
        "unbound-sbom",
        "blocking-vulnerability",
        "cel-denies"
      })
  void refused_eachFailingCase_reasonAndNothingStored(String kind) {
    String workload = "sc-refuse-" + kind;
    workload(workload, 2);
    String sha = SupplyChainFixture.artifact(kind);
    String other = SupplyChainFixture.artifact("other");
    String pkg = "sc-" + kind + "-lib";
    byte[] sbom = SupplyChainFixture.sbom(sha, List.of("pkg:npm/" + pkg + "@1.0.0"));
    List<byte[]> provenance =
        new ArrayList<>(
            List.of(
                B1.provenance(sha, SupplyChainFixture.REPO),
                B2.provenance(sha, SupplyChainFixture.REPO)));
    String expected;
    switch (kind) {
      case "bad-signature" -> {
        JsonNode envelope = readJson(provenance.get(1));
        String sig = envelope.path("signatures").get(0).path("sig").asText();
        byte[] raw = Base64.getDecoder().decode(sig);
        raw[raw.length - 1] ^= 1;
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.path("signatures").get(0))
            .put("sig", Base64.getEncoder().encodeToString(raw));
        provenance.set(1, envelope.toString().getBytes(StandardCharsets.UTF_8));
        expected = "provenance-signature-invalid";
      }
      case "untrusted-builder" -> {
        provenance.set(1, ROGUE.provenance(sha, SupplyChainFixture.REPO));
        expected = "provenance-builder-untrusted";
      }
      case "digest-mismatch" -> {
        provenance.set(1, B2.provenance(other, SupplyChainFixture.REPO));
        expected = "provenance-digest-mismatch";
      }
      case "quorum" -> {
        provenance.remove(1);
        expected = "provenance-quorum-not-met";
      }
      case "unbound-sbom" -> {
        sbom = SupplyChainFixture.sbom(other, List.of("pkg:npm/" + pkg + "@1.0.0"));
        expected = "sbom-not-bound";
      }
      case "blocking-vulnerability" -> {
        var imported =
            server
                .operator()
                .post(
                    "/v1/advisories",
                    Map.of(
                        "records",
                        List.of(
                            SupplyChainFixture.osv(
                                "GHSA-sc00-bloc-0001", pkg, "1.0.1", SupplyChainFixture.CRITICAL)),
                        "source",
                        "test"));
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        expected = "vulnerability-blocking";
      }
      case "cel-denies" -> {
        provenance.set(1, B2.provenance(sha, "https://github.com/attacker/fork"));
        expected = "provenance-policy-denied";
      }
      default -> throw new IllegalArgumentException(kind);
    }
    long before = documents();
    var refused = register(workload, "1.0.0", sha, provenance, sbom);
    assertThat(refused.status()).as(refused.text()).isEqualTo(422);
    List<String> types = problemTypes(refused);
    assertThat(types).as(refused.text()).contains(expected);
    if (!kind.equals("quorum")) {
      // one bad statement of two also leaves the quorum unmet
      assertThat(types)
          .contains(
              kind.equals("unbound-sbom") || kind.equals("blocking-vulnerability")
                  ? expected
                  : "provenance-quorum-not-met");
    }
    assertThat(
            server
                .operator()
                .get("/v1/workloads/" + workload + "/versions")
                .json()
                .path("versions"))
        .isEmpty();
    assertThat(documents()).isEqualTo(before);
  }

  @Test
  void gate_versionFailingThePolicy_rolloutRejectedWithReasons() {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "sc-gate"));
    var plain =
        operator.post(
            "/v1/workloads/sc-gate/versions",
            Map.of(
                "version",
                "1",
                "reference_values",
                Map.of("sample", Map.of("measurement", "ab01"))));
    assertThat(plain.status()).as(plain.text()).isEqualTo(201);
    assertThat(
            operator
                .get("/v1/workloads/sc-gate/versions/1/check")
                .json()
                .path("admissible")
                .asBoolean())
        .isTrue();
    operator.put(
        "/v1/workloads/sc-gate/supply-chain", Map.of("policy", policy(1), "reason", "gate on"));
    JsonNode check = operator.get("/v1/workloads/sc-gate/versions/1/check").json();
    assertThat(check.path("admissible").asBoolean()).isFalse();
    assertThat(check.path("reasons").findValuesAsText("type"))
        .contains(
            "urn:arbiter:problem:artifact-digest-required", "urn:arbiter:problem:sbom-required");
    var started =
        operator.post("/v1/workloads/sc-gate/rollouts", Map.of("to", "1", "reason", "try"));
    assertThat(started.problem()).as(started.text()).isEqualTo("gates-failed");
    assertThat(started.json().path("detail").asText())
        .contains("sbom-required")
        .contains("artifact-digest-required");
    assertThat(operator.get("/v1/workloads/sc-gate/policy").json().path("accepted")).isEmpty();
    JsonNode rollouts = operator.get("/v1/workloads/sc-gate/rollouts").json().path("rollouts");
    assertThat(rollouts.findValuesAsText("state")).containsExactly("REJECTED");
    JsonNode events =
        operator
            .get("/v1/workloads/sc-gate/rollouts/" + rollouts.get(0).path("id").asLong())
            .json();
    assertThat(events.toString()).contains("sbom-required").contains("artifact-digest-required");
  }

  @Test
  void import_hitsAcceptedVersion_obligationWarningEarsThenRevokedWhenDue() throws Exception {
    workload("sc-monitor", 1);
    String sha = SupplyChainFixture.artifact("monitor");
    var registered =
        register(
            "sc-monitor",
            "2.0.0",
            sha,
            List.of(B1.provenance(sha, SupplyChainFixture.REPO)),
            SupplyChainFixture.sbom(
                sha, List.of("pkg:npm/sc-monitor-lib@2.1.0", "pkg:npm/sc-monitor-safe@1.0.0")));
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    server
        .operator()
        .post(
            "/v1/workloads/sc-monitor/policy/accept",
            Map.of("version", "2.0.0", "reason", "initial"));
    server.server().services().policyCache().reload("sc-monitor");
    var before = attest("sc-monitor", sha);
    assertThat(before.path("status").asText()).isEqualTo("affirming");
    assertThat(before.path("vector").path("executables").asInt()).isEqualTo(2);

    var imported =
        server
            .operator()
            .post(
                "/v1/advisories",
                Map.of(
                    "records",
                    List.of(
                        SupplyChainFixture.osv(
                            "GHSA-sc00-moni-0001",
                            "sc-monitor-lib",
                            "2.2.0",
                            SupplyChainFixture.CRITICAL),
                        SupplyChainFixture.osv(
                            "GHSA-sc00-moni-0002",
                            "sc-monitor-safe",
                            "0.9.0",
                            SupplyChainFixture.CRITICAL)),
                    "source",
                    "feed"));
    assertThat(imported.status()).as(imported.text()).isEqualTo(200);
    JsonNode affected = imported.json().path("affected_versions");
    assertThat(affected).hasSize(1);
    assertThat(affected.get(0).path("version").asText()).isEqualTo("2.0.0");
    long obligation = affected.get(0).path("obligation").asLong();
    assertThat(obligation).isPositive();

    JsonNode status = server.operator().get("/v1/workloads/sc-monitor/supply-chain/status").json();
    assertThat(status.path("findings").path("2.0.0").findValuesAsText("osv_id"))
        .containsExactly("GHSA-sc00-moni-0001");
    JsonNode open = status.path("obligations").get(0);
    assertThat(open.path("state").asText()).isEqualTo("open");
    assertThat(open.path("action").asText()).isEqualTo("revoke");
    assertThat(open.path("class").asText()).isEqualTo("critical");
    JsonNode rolloutStatus =
        server.operator().get("/v1/workloads/sc-monitor/rollouts/current").json();
    assertThat(rolloutStatus.path("obligations").findValuesAsText("kind"))
        .contains("vulnerability");
    assertThat(
            server
                .operator()
                .get("/v1/audit?target=sc-monitor@2.0.0&limit=100")
                .json()
                .path("records")
                .findValuesAsText("action"))
        .contains("supplychain.vulnerable");

    var after = attest("sc-monitor", sha);
    assertThat(after.path("status").asText()).isEqualTo("warning");
    assertThat(after.path("vector").path("executables").asInt()).isEqualTo(32);
    assertThat(after.path("claims").path("arbiter.vulnerabilities").toString())
        .contains("GHSA-sc00-moni-0001");
    assertThat(
            server
                .operator()
                .get("/v1/workloads/sc-monitor/versions/2.0.0/check")
                .json()
                .path("admissible")
                .asBoolean())
        .isFalse();

    server.server().services().supplyChain().tick();
    assertThat(
            server
                .operator()
                .get("/v1/workloads/sc-monitor/policy")
                .json()
                .path("accepted")
                .toString())
        .isEqualTo("[\"2.0.0\"]");
    server
        .server()
        .database()
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update obligation set due_at = now() - interval '1 minute' where id = ?",
                obligation));
    server.server().services().supplyChain().tick();
    assertThat(server.operator().get("/v1/workloads/sc-monitor/policy").json().path("accepted"))
        .isEmpty();
    assertThat(
            server
                .operator()
                .get("/v1/workloads/sc-monitor/versions/2.0.0")
                .json()
                .path("revoked")
                .asBoolean())
        .isTrue();
    JsonNode breached =
        server
            .operator()
            .get("/v1/workloads/sc-monitor/supply-chain/status")
            .json()
            .path("obligations")
            .get(0);
    assertThat(breached.path("state").asText()).isEqualTo("breached");
    assertThat(
            server
                .operator()
                .get("/v1/audit?target=sc-monitor@2.0.0&limit=100")
                .json()
                .path("records")
                .findValuesAsText("action"))
        .contains("supplychain.revoke");
  }

  @Test
  void withdrawnAdvisory_clearsFindings_earAffirmingAgain_obligationMet() throws Exception {
    workload("sc-withdraw", 1);
    String sha = SupplyChainFixture.artifact("withdraw");
    assertThat(
            register(
                    "sc-withdraw",
                    "1.0",
                    sha,
                    List.of(B1.provenance(sha, SupplyChainFixture.REPO)),
                    SupplyChainFixture.sbom(sha, List.of("pkg:npm/sc-withdraw-lib@1.0.0")))
                .status())
        .isEqualTo(201);
    server
        .operator()
        .post(
            "/v1/workloads/sc-withdraw/policy/accept",
            Map.of("version", "1.0", "reason", "initial"));
    Map<String, Object> record =
        new LinkedHashMap<>(
            SupplyChainFixture.osv(
                "GHSA-sc00-with-0001", "sc-withdraw-lib", "1.0.1", SupplyChainFixture.CRITICAL));
    assertThat(
            server
                .operator()
                .post("/v1/advisories", Map.of("records", List.of(record)))
                .json()
                .path("affected_versions"))
        .hasSize(1);
    server.server().services().policyCache().reload("sc-withdraw");
    assertThat(attest("sc-withdraw", sha).path("status").asText()).isEqualTo("warning");

    record.put("modified", "2026-02-01T00:00:00Z");
    record.put("withdrawn", "2026-02-01T00:00:00Z");
    var withdrawn = server.operator().post("/v1/advisories", Map.of("records", List.of(record)));
    assertThat(withdrawn.json().path("withdrawn").asInt()).as(withdrawn.text()).isEqualTo(1);
    server.server().services().policyCache().reload("sc-withdraw");
    assertThat(attest("sc-withdraw", sha).path("status").asText()).isEqualTo("affirming");
    assertThat(
            server
                .operator()
                .get("/v1/workloads/sc-withdraw/versions/1.0/check")
                .json()
                .path("admissible")
                .asBoolean())
        .isTrue();
    server.server().services().supplyChain().tick();
    JsonNode obligation =
        server
            .operator()
            .get("/v1/workloads/sc-withdraw/supply-chain/status")
            .json()
            .path("obligations")
            .get(0);
    assertThat(obligation.path("state").asText()).isEqualTo("met");
    assertThat(
            server
                .operator()
                .get("/v1/workloads/sc-withdraw/policy")
                .json()
                .path("accepted")
                .toString())
        .isEqualTo("[\"1.0\"]");
  }

  @Test
  void badInput_typedProblemAndNothingStored() {
    workload("sc-bad", 1);
    String sha = SupplyChainFixture.artifact("bad");
    byte[] sbom = SupplyChainFixture.sbom(sha, List.of());
    long before = documents();
    assertThat(
            problemTypes(
                register(
                    "sc-bad",
                    "1",
                    sha,
                    List.of("{not json".getBytes(StandardCharsets.UTF_8)),
                    sbom)))
        .contains("provenance-malformed");
    byte[] textPayload =
        B1.envelope(
            "text/plain",
            SupplyChainFixture.statement(sha, B1.id(), SupplyChainFixture.REPO)
                .getBytes(StandardCharsets.UTF_8));
    assertThat(problemTypes(register("sc-bad", "1", sha, List.of(textPayload), sbom)))
        .contains("provenance-media-type-unsupported");
    assertThat(
            problemTypes(
                register(
                    "sc-bad",
                    "1",
                    sha,
                    List.of(B1.provenance(sha, SupplyChainFixture.REPO)),
                    "{\"bomFormat\": \"CycloneDX\",".getBytes(StandardCharsets.UTF_8))))
        .contains("sbom-malformed");
    Map<String, Object> conflicting = new LinkedHashMap<>();
    conflicting.put("version", "1");
    conflicting.put("digest", "sha256:" + sha);
    conflicting.put("reference_values", Map.of("sample", Map.of("measurement", "00ff")));
    conflicting.put("provenance", List.of(b64(B1.provenance(sha, SupplyChainFixture.REPO))));
    conflicting.put("sbom", b64(sbom));
    assertThat(server.operator().post("/v1/workloads/sc-bad/versions", conflicting).problem())
        .isEqualTo("reference-values-not-derivable");
    var notBase64 =
        server
            .operator()
            .post(
                "/v1/workloads/sc-bad/versions",
                Map.of("version", "1", "provenance", List.of("%%%")));
    assertThat(notBase64.problem()).isEqualTo("supply-chain-document-invalid");
    var malformedBody = server.operator().post("/v1/workloads/sc-bad/versions", "{\"version\": ");
    assertThat(malformedBody.problem()).isEqualTo("malformed-json");
    assertThat(server.operator().get("/v1/workloads/sc-bad/versions").json().path("versions"))
        .isEmpty();
    assertThat(documents()).isEqualTo(before);

    long advisories = advisories();
    var unknown =
        server
            .operator()
            .post(
                "/v1/advisories",
                Map.of(
                    "records",
                    List.of(
                        Map.of(
                            "id",
                            "XX-unknown-1",
                            "modified",
                            "2026-01-01T00:00:00Z",
                            "affected",
                            List.of(
                                Map.of(
                                    "package",
                                    Map.of("ecosystem", "NoSuchEcosystem", "name", "x"),
                                    "ranges",
                                    List.of(
                                        Map.of(
                                            "type",
                                            "ECOSYSTEM",
                                            "events",
                                            List.of(Map.of("introduced", "0"))))))))));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.problem()).isEqualTo("advisory-unknown-ecosystem");
    var malformed =
        server
            .operator()
            .post("/v1/advisories", Map.of("records", List.of(Map.of("id", "XX-no-modified"))));
    assertThat(malformed.problem()).isEqualTo("advisory-malformed");
    var badZip =
        server
            .operator()
            .post(
                "/v1/advisories", Map.of("zip", b64("not a zip".getBytes(StandardCharsets.UTF_8))));
    assertThat(badZip.problem()).isEqualTo("advisory-malformed");
    var wrongType =
        server
            .operator()
            .send(
                java.net.http.HttpRequest.newBuilder(server.uri().resolve("/v1/advisories"))
                    .header("Content-Type", "application/zip")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                            new byte[] {'P', 'K', 3, 4})));
    assertThat(wrongType.problem()).isEqualTo("unsupported-media-type");
    assertThat(advisories()).isEqualTo(advisories);

    var badCel =
        server
            .operator()
            .put(
                "/v1/workloads/sc-bad/supply-chain",
                Map.of("policy", Map.of("cel", "provenance.x +"), "reason", "x"));
    assertThat(badCel.problem()).isEqualTo("invalid-cel");
    var unknownField =
        server
            .operator()
            .put(
                "/v1/workloads/sc-bad/supply-chain",
                Map.of("policy", Map.of("quorom", 2), "reason", "x"));
    assertThat(unknownField.problem()).isEqualTo("supply-chain-policy-invalid");
    var badKey =
        server
            .operator()
            .put(
                "/v1/workloads/sc-bad/supply-chain",
                Map.of(
                    "policy",
                    Map.of(
                        "keys",
                        List.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")),
                    "reason",
                    "x"));
    assertThat(badKey.problem()).isEqualTo("supply-chain-policy-invalid");
    var pipeline = server.as(dev.arbiter.auth.Role.PIPELINE, "sc-bad-ci");
    assertThat(
            pipeline
                .put("/v1/workloads/sc-bad/supply-chain", Map.of("policy", Map.of(), "reason", "x"))
                .status())
        .isEqualTo(403);
    assertThat(
            server
                .operator()
                .get("/v1/workloads/sc-bad/supply-chain")
                .json()
                .path("policy")
                .path("quorum")
                .asInt())
        .isEqualTo(1);
  }

  static long advisories() {
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery("select count(*) from advisory").mapTo(Long.class).one());
  }

  static JsonNode readJson(byte[] bytes) {
    try {
      return dev.arbiter.internal.Json.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Attests as the workload with sample evidence of {@code measurement}; returns status, vector and
   * the first submodule's claims.
   */
  static JsonNode attest(String workload, String measurement) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
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
    var jwks =
        com.nimbusds.jose.jwk.JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
    var ear =
        new dev.arbiter.token.EarVerifier(jwks, java.time.Clock.systemUTC())
            .verify(response.json().path("token").asText());
    var submod = ear.submods().get(workload);
    var out = dev.arbiter.internal.Json.mapper().createObjectNode();
    out.put("status", submod.status().label());
    out.set("vector", dev.arbiter.internal.Json.mapper().valueToTree(submod.vector()));
    out.set("claims", dev.arbiter.internal.Json.mapper().valueToTree(submod.claims()));
    return out;
  }
}
