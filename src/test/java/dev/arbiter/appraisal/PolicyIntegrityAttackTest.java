// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the attacks on what an accepted version means, by someone who can write the database:
 * swapping an accepted version's measurement for their own (in every column where it appears), and
 * editing a revision's appraisal policy to let everything through. Before, the first passed {@code
 * audit verify} and the second was enforced right after a restart. Now the policy cache verifies
 * every revision and version against the pinned keys before enforcing them: the workload fails
 * closed with a typed problem, an alert metric and a log line; {@code audit verify} names the row.
 */
class PolicyIntegrityAttackTest {
  private static final String WORKLOAD = "guarded";
  private static final String GENUINE = "aa01";
  private static final String ATTACKER = "ee99";

  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(config -> config.withDev(true));
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", WORKLOAD));
    operator.post(
        "/v1/workloads/" + WORKLOAD + "/versions",
        Map.of(
            "version",
            "1.0",
            "reference_values",
            Map.of("sample", Map.of("measurement", GENUINE))));
    assertThat(
            operator
                .post(
                    "/v1/workloads/" + WORKLOAD + "/policy/accept",
                    Map.of("version", "1.0", "reason", "go"))
                .status())
        .isEqualTo(200);
    server.server().services().policyCache().reload(WORKLOAD);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Jdbi jdbi() {
    return server.server().database().jdbi();
  }

  private TestServer.Response attest(String measurement) throws Exception {
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            measurement,
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", WORKLOAD);
    request.put("instance_id", "i-1");
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    return server.anonymous().post("/v1/attest", request);
  }

  private void assertFailsClosed() throws Exception {
    TestServer.Response attacker = attest(ATTACKER);
    assertThat(attacker.status()).as(attacker.text()).isEqualTo(503);
    assertThat(attacker.json().path("type").asText()).endsWith(":policy-unverified");
    TestServer.Response genuine = attest(GENUINE);
    assertThat(genuine.status()).as("fails closed for everyone").isEqualTo(503);
    assertThat(server.server().services().policyCache().refusedWorkloads()).containsKey(WORKLOAD);
    String metrics = server.anonymous().get("/metrics").text();
    assertThat(metrics).contains("arbiter_policy_refused 1.0");
    assertThat(metrics).containsPattern("arbiter_policy_integrity_failures_total [1-9]");
  }

  private IntegrityCheck.Report auditVerify() {
    return IntegrityCheck.run(server.server().database(), server.server().services().keyRing());
  }

  /** The workload's head revision row as stored: its sequence number and parsed body. */
  private record HeadRow(long seq, ObjectNode body) {}

  private HeadRow headRevision() throws Exception {
    var row =
        jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select seq, body from policy_revision where workload = :w order by seq"
                            + " desc limit 1")
                    .bind("w", WORKLOAD)
                    .mapToMap()
                    .one());
    return new HeadRow(
        ((Number) row.get("seq")).longValue(),
        (ObjectNode) Json.readTree((String) row.get("body")));
  }

  /** The version's content with the attacker's measurement, and its hash. */
  private String[] swappedVersion() throws Exception {
    String content =
        jdbi()
            .withHandle(h ->
                h.createQuery("select content from version where workload = :w and label = '1.0'")
                    .bind("w", WORKLOAD)
                    .mapTo(String.class)
                    .one());
    String swapped = content.replace(GENUINE, ATTACKER);
    assertThat(swapped).isNotEqualTo(content);
    String hash = Hex.encode(Digests.sha256(Jcs.canonicalize(Json.readTree(swapped))));
    return new String[] {swapped, hash};
  }

  @Test
  void measurementSwappedInTheVersionRows_isNeitherEnforcedNorPassedByAuditVerify()
      throws Exception {
    TestServer.Response before = attest(GENUINE);
    assertThat(before.status()).as(before.text()).isEqualTo(200);
    String[] swapped = swappedVersion();
    jdbi()
        .useHandle(h ->
            h.execute(
                "update version set content = ?, content_hash = ? where workload = ? and label ="
                    + " '1.0'",
                swapped[0],
                swapped[1],
                WORKLOAD));
    server.restart();
    assertFailsClosed();
    assertThat(auditVerify().findings())
        .anySatisfy(f -> {
          assertThat(f.table()).isEqualTo("version");
          assertThat(f.record()).isEqualTo(WORKLOAD + "@1.0");
          assertThat(f.problem()).contains("does not hash to the content_hash");
        });
  }

  @Test
  void measurementSwappedEverywhere_includingTheRevisionRehashed_isNeitherEnforcedNorPassed()
      throws Exception {
    String[] swapped = swappedVersion();
    HeadRow head = headRevision();
    long seq = head.seq();
    ObjectNode body = head.body();
    for (var entry : body.withArray("accepted")) {
      ((ObjectNode) entry).put("content_hash", swapped[1]);
    }
    String revisionHash = Hex.encode(Digests.sha256(Jcs.canonicalize(body)));
    jdbi()
        .useTransaction(h -> {
          h.execute(
              "update version set content = ?, content_hash = ? where workload = ? and label ="
                  + " '1.0'",
              swapped[0],
              swapped[1],
              WORKLOAD);
          h.execute(
              "update policy_revision set body = ?, hash = ? where workload = ? and seq = ?",
              new String(Jcs.canonicalize(body), StandardCharsets.UTF_8),
              revisionHash,
              WORKLOAD,
              seq);
        });
    server.restart();
    assertFailsClosed();
    assertThat(auditVerify().findings())
        .anySatisfy(f -> {
          assertThat(f.table()).isEqualTo("policy_revision");
          assertThat(f.record()).isEqualTo(WORKLOAD + "#" + seq);
          assertThat(f.problem()).isEqualTo("signature does not verify");
        });
  }

  @Test
  void revisionEditedToAppraiseEverything_andReSignedWithAnInsertedKey_isNotEnforcedAfterRestart()
      throws Exception {
    ServiceKey attacker = ServiceKey.generate();
    HeadRow head = headRevision();
    long seq = head.seq();
    ObjectNode body = head.body();
    body.put("appraisal", "false");
    String hash = Hex.encode(Digests.sha256(Jcs.canonicalize(body)));
    jdbi()
        .useTransaction(h -> {
          h.execute(
              "insert into service_key(key_id, public_jwk, created_at) values (?, ?, now())",
              attacker.keyId(),
              attacker.publicJwk().toJSONString());
          h.execute(
              "update policy_revision set body = ?, hash = ?, key_id = ?, signature = ? where"
                  + " workload = ? and seq = ?",
              new String(Jcs.canonicalize(body), StandardCharsets.UTF_8),
              hash,
              attacker.keyId(),
              attacker.sign(Hex.decode(hash)),
              WORKLOAD,
              seq);
        });
    server.restart();
    TestServer.Response response = attest(GENUINE);
    assertThat(response.status())
        .as("not policy-denied: the edited revision is not used")
        .isEqualTo(503);
    assertThat(response.json().path("type").asText()).endsWith(":policy-unverified");
    assertThat(server.server().services().policyCache().refusedWorkloads().get(WORKLOAD))
        .contains("a key not in the pinned key ring");
  }

  @Test
  void aRevisionThatVerifies_repairsTheWorkload() throws Exception {
    String[] swapped = swappedVersion();
    jdbi()
        .useHandle(h ->
            h.execute(
                "update version set content = ?, content_hash = ? where workload = ? and label ="
                    + " '1.0'",
                swapped[0],
                swapped[1],
                WORKLOAD));
    server.restart();
    assertThat(attest(GENUINE).status()).isEqualTo(503);
    // the operator repairs: a new version with the genuine values, accepted; 1.0 removed
    var operator = server.operator();
    operator.post(
        "/v1/workloads/" + WORKLOAD + "/versions",
        Map.of(
            "version",
            "1.1",
            "reference_values",
            Map.of("sample", Map.of("measurement", GENUINE))));
    assertThat(
            operator
                .post(
                    "/v1/workloads/" + WORKLOAD + "/policy/revoke",
                    Map.of("version", "1.0", "reason", "tampered"))
                .status())
        .isEqualTo(200);
    assertThat(
            operator
                .post(
                    "/v1/workloads/" + WORKLOAD + "/policy/accept",
                    Map.of("version", "1.1", "reason", "repair"))
                .status())
        .isEqualTo(200);
    server.server().services().policyCache().reload(WORKLOAD);
    TestServer.Response repaired = attest(GENUINE);
    assertThat(repaired.status()).as(repaired.text()).isEqualTo(200);
    assertThat(attest(ATTACKER).status()).isEqualTo(422);
    assertThat(server.server().services().policyCache().refusedWorkloads()).isEmpty();
  }
}
