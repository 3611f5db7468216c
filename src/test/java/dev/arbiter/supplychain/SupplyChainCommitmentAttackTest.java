// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.supplychain.SupplyChainFixture.Builder;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the attacks on the supply-chain state compiled into a policy, by someone who can write
 * the database: deleting a vulnerable version's finding rows, or raising the workload's blocking
 * threshold in the supply-chain policy row, so that a vulnerable version attests as affirming.
 * Before, both were enforced undetected. Now each change of findings or policy is committed to by a
 * signed audit record, and the policy cache checks the rows against it: the workload fails closed
 * (503 policy-unverified, alert metric, log line). A genuine advisory import keeps attesting with
 * {@code warning}.
 */
class SupplyChainCommitmentAttackTest {
  private static final String WORKLOAD = "sc-guarded";
  private static final String OSV_ID = "GHSA-scga-0000-0001";
  private static final Builder B1 = Builder.create("https://builders.test/b1@v1");

  private TestServer server;
  private String sha;

  @BeforeEach
  void start() {
    server = TestServer.start(config -> config.withDev(true));
    var operator = server.operator();
    assertThat(operator.post("/v1/workloads", Map.of("name", WORKLOAD)).status()).isEqualTo(201);
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("builder_ids", List.of(B1.id()));
    policy.put("keys", List.of(B1.publicPem()));
    policy.put("quorum", 1);
    policy.put("vulnerabilities", Map.of("block_at_cvss", 9.0));
    policy.put(
        "derive",
        List.of(Map.of("scheme", "sample", "claim", "measurement", "from", "subject-digest")));
    var set =
        operator.put(
            "/v1/workloads/" + WORKLOAD + "/supply-chain",
            Map.of("policy", policy, "reason", "release policy"));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    sha = SupplyChainFixture.artifact("guarded");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", "1.0");
    body.put("digest", "sha256:" + sha);
    body.put("provenance", List.of(SupplyChainFixture.b64(B1.provenance(sha, "r"))));
    body.put(
        "sbom",
        SupplyChainFixture.b64(
            SupplyChainFixture.sbom(sha, List.of("pkg:npm/sc-guarded-lib@1.0.0"))));
    var registered = operator.post("/v1/workloads/" + WORKLOAD + "/versions", body);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    operator.post(
        "/v1/workloads/" + WORKLOAD + "/policy/accept", Map.of("version", "1.0", "reason", "go"));
    var imported =
        operator.post(
            "/v1/advisories",
            Map.of(
                "records",
                List.of(
                    SupplyChainFixture.osv(
                        OSV_ID, "sc-guarded-lib", "1.0.1", SupplyChainFixture.CRITICAL))));
    assertThat(imported.json().path("affected_versions")).as(imported.text()).hasSize(1);
    server.server().services().policyCache().reload(WORKLOAD);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Jdbi jdbi() {
    return server.server().database().jdbi();
  }

  private TestServer.Response attest() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            sha,
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), key));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", WORKLOAD);
    request.put("instance_id", "i-1");
    request.put("nonce", nonce);
    request.put("tee_key", key.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    return server.anonymous().post("/v1/attest", request);
  }

  /** The status of the workload's submodule in the EAR (warning / affirming). */
  private String status(TestServer.Response response) throws Exception {
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    var jwks =
        com.nimbusds.jose.jwk.JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
    var ear =
        new dev.arbiter.token.EarVerifier(jwks, java.time.Clock.systemUTC())
            .verify(response.json().path("token").asText());
    return ear.submods().get(WORKLOAD).status().label();
  }

  private void assertFailsClosed(String reasonPart) throws Exception {
    TestServer.Response refused = attest();
    assertThat(refused.status()).as(refused.text()).isEqualTo(503);
    assertThat(refused.json().path("type").asText()).endsWith(":policy-unverified");
    assertThat(server.server().services().policyCache().refusedWorkloads().get(WORKLOAD))
        .contains(reasonPart);
    String metrics = server.anonymous().get("/metrics").text();
    assertThat(metrics).contains("arbiter_policy_refused 1.0");
  }

  @Test
  void genuineAdvisoryImport_committed_workloadKeepsAttestingWithWarning() throws Exception {
    assertThat(status(attest())).isEqualTo("warning");
    server.restart();
    assertThat(status(attest())).isEqualTo("warning");
    var records =
        server.operator().get("/v1/audit?target=advisories&limit=100").json().path("records");
    assertThat(records.findValues("findings_state").toString())
        .contains(WORKLOAD + "@1.0")
        .containsPattern("\"[0-9a-f]{64}\"");
  }

  @Test
  void findingRowDeleted_workloadRefusedNotAffirming() throws Exception {
    assertThat(status(attest())).isEqualTo("warning");
    int deleted =
        jdbi()
            .withHandle(h ->
                h.execute(
                    "delete from version_finding where workload = ? and osv_id = ?",
                    WORKLOAD,
                    OSV_ID));
    assertThat(deleted).isEqualTo(1);
    server.server().services().policyCache().reload(WORKLOAD);
    assertFailsClosed("differs from what audit record");
    server.restart();
    assertFailsClosed("its findings");
    assertThat(
            dev.arbiter.governance.IntegrityCheck.run(
                    server.server().database(), server.server().services().keyRing())
                .findings())
        .anySatisfy(f -> {
          assertThat(f.table()).isEqualTo("version_finding");
          assertThat(f.record()).isEqualTo(WORKLOAD + "@1.0");
        });
  }

  @Test
  void policyThresholdRaisedBySql_workloadRefusedNotAffirming() throws Exception {
    assertThat(status(attest())).isEqualTo("warning");
    int updated =
        jdbi()
            .withHandle(h ->
                h.execute(
                    "update supply_chain_policy set body = replace(body, '\"block_at_cvss\":9',"
                        + " '\"block_at_cvss\":10') where workload = ?",
                    WORKLOAD));
    assertThat(updated).isEqualTo(1);
    String body =
        jdbi()
            .withHandle(h ->
                h.createQuery("select body from supply_chain_policy").mapTo(String.class).one());
    assertThat(body).contains("\"block_at_cvss\":10");
    server.restart();
    assertFailsClosed("supply-chain policy of " + WORKLOAD);
  }

  @Test
  void findingSeverityDowngradedBySql_refused() throws Exception {
    // a version with no findings (and no commitment) gets a row: nothing commits to it
    jdbi()
        .useHandle(h ->
            h.execute(
                "update version_finding set severity = 'LOW', score = 2.0 where workload = ?",
                WORKLOAD));
    server.server().services().policyCache().reload(WORKLOAD);
    assertFailsClosed("its findings");
  }

  private long adoptionRecords() {
    return jdbi()
        .withHandle(h ->
            h.createQuery(
                    "select count(*) from audit_record where body::jsonb ->> 'action' ="
                        + " 'supplychain.findings-adopted'")
                .mapTo(Long.class)
                .one());
  }

  @Test
  void databaseFromBeforeCommitments_adoptedOnceAtStart_thenTamperingIsRefused() throws Exception {
    // an earlier Arbiter wrote findings and policies without commitments
    jdbi()
        .useHandle(h ->
            h.execute(
                "update audit_record set body = (body::jsonb #- '{details,findings_state}' #-"
                    + " '{details,policy_state}')::text"));
    assertThat(adoptionRecords()).isZero();
    server.restart();
    assertThat(adoptionRecords()).isEqualTo(1);
    assertThat(status(attest())).isEqualTo("warning");
    server.restart();
    assertThat(adoptionRecords()).as("adopted only once").isEqualTo(1);

    jdbi().useHandle(h -> h.execute("delete from version_finding where workload = ?", WORKLOAD));
    server.restart();
    assertThat(adoptionRecords()).isEqualTo(1);
    assertFailsClosed("its findings");
  }
}
