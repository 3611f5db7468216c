// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attestation flow over HTTPS with the sample scheme: nonce, binding, matching, configuration,
 * CEL, EAR.
 */
class AttestationFlowTest {
  private static final TestServer server = TestServer.shared();
  private static final String CONFIG =
      SampleEvidence.configurationDigest(Map.of("trust_roots", "sha256:" + "1".repeat(64)));

  @BeforeAll
  static void workload() {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "flow"));
    operator.post(
        "/v1/workloads/flow/versions",
        Map.of(
            "version",
            "1.0",
            "reference_values",
            Map.of(
                "sample",
                Map.of("measurement", "aa01"),
                "configuration",
                Map.of("trust_roots", "sha256:" + "1".repeat(64)))));
    operator.post(
        "/v1/workloads/flow/versions",
        Map.of(
            "version", "2.0", "reference_values", Map.of("sample", Map.of("measurement", "bb02"))));
    operator.post(
        "/v1/workloads/flow/versions",
        Map.of(
            "version", "3.0", "reference_values", Map.of("sample", Map.of("measurement", "cc03"))));
    operator.post("/v1/workloads/flow/policy/accept", Map.of("version", "1.0", "reason", "go"));
    operator.post("/v1/workloads/flow/policy/accept", Map.of("version", "2.0", "reason", "go"));
    var appraisal =
        operator.put(
            "/v1/workloads/flow/policy/appraisal",
            Map.of("cel", "!has(claims.debug) || claims.debug == false", "reason", "no debug"));
    assertThat(appraisal.status()).as(appraisal.text()).isEqualTo(200);
    server.server().services().policyCache().reload("flow");
  }

  static ECKey newKey() throws Exception {
    return new ECKeyGenerator(Curve.P_256).generate();
  }

  static String nonce() {
    return server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
  }

  static TestServer.Response attest(String nonce, ECKey teeKey, String evidence) {
    return server.anonymous().post("/v1/attest", attestBody(nonce, teeKey, evidence));
  }

  /** POSTs {@code body} to {@code path} of another server that trusts the same CA. */
  static TestServer.Response postAt(java.net.URI base, String path, Object body) {
    return server
        .anonymous()
        .send(
            java.net.http.HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        dev.arbiter.internal.Json.write(body))));
  }

  static Map<String, Object> attestBody(String nonce, ECKey teeKey, String evidence) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "flow");
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
    return request;
  }

  static String evidence(String nonce, ECKey teeKey, String measurement, String config)
      throws Exception {
    return SampleEvidence.sign(
        newKey(), measurement, config, Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
  }

  @Test
  void attest_matchingVersion_returnsAffirmingEarBoundToTheKey() throws Exception {
    ECKey teeKey = newKey();
    String nonce = nonce();
    var response = attest(nonce, teeKey, evidence(nonce, teeKey, "AA01", CONFIG));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("status").asText()).isEqualTo("affirming");
    assertThat(body.path("version").asText()).isEqualTo("1.0");
    var jwks =
        com.nimbusds.jose.jwk.JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
    var ear =
        new dev.arbiter.token.EarVerifier(jwks, java.time.Clock.systemUTC())
            .verify(body.path("token").asText());
    assertThat(ear.profile()).isEqualTo("tag:ietf.org,2026:rats/ear#03");
    assertThat(ear.cnf().orElseThrow().computeThumbprint()).isEqualTo(teeKey.computeThumbprint());
    var submod = ear.submods().get("flow");
    assertThat(submod.claims().get("arbiter.version")).isEqualTo("1.0");
    assertThat(submod.claims().get("arbiter.dev")).isEqualTo(true);
    assertThat(submod.claims().get("arbiter.policy_revision"))
        .isEqualTo(body.path("policy_revision").asText());
    assertThat(submod.vector()).containsEntry("configuration", 2).containsEntry("executables", 2);
    assertThat(ear.claims().get("eat_nonce")).isEqualTo(nonce);
  }

  @Test
  void attest_nonceOfAnotherReplica_isWrongIssuer_andOnlyItsIssuerAcceptsIt(@TempDir Path dir)
      throws Exception {
    Files.walkFileTree(
        server.dataDir(),
        new java.nio.file.SimpleFileVisitor<>() {
          @Override
          public java.nio.file.FileVisitResult visitFile(
              Path file, java.nio.file.attribute.BasicFileAttributes attributes)
              throws java.io.IOException {
            Path relative = server.dataDir().relativize(file);
            // the spool is this replica's own (its segments rotate while we copy), as is its
            // database
            if (attributes.isRegularFile()
                && !relative.startsWith("postgres")
                && !relative.startsWith("tlog-spool")) {
              Files.createDirectories(dir.resolve(relative).getParent());
              Files.copy(file, dir.resolve(relative)); // nonce-key.bin, service key, CA: shared
            }
            return java.nio.file.FileVisitResult.CONTINUE;
          }

          @Override
          public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e)
              throws java.io.IOException {
            // the running replica replaces its checkpoint file through a temporary one, which
            // can vanish between listing and reading
            if (e instanceof java.nio.file.NoSuchFileException) {
              return java.nio.file.FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    try (dev.arbiter.server.ArbiterServer second =
        dev.arbiter.server.ArbiterServer.start(
            dev.arbiter.server.ServerConfig.defaults(dir)
                .withPort(0)
                .withDev(true)
                .withDatabaseUrl(java.util.Optional.of(server.server().database().replicaUrl())))) {
      ECKey teeKey = newKey();
      String fromA = nonce();
      String evidence = evidence(fromA, teeKey, "bb02", null);
      TestServer.Response atB =
          postAt(second.uri(), "/v1/attest", attestBody(fromA, teeKey, evidence));
      assertThat(atB.status()).as(atB.text()).isEqualTo(409);
      assertThat(atB.problem()).isEqualTo("nonce-wrong-issuer");
      assertThat(attest(fromA, teeKey, evidence).status()).isEqualTo(200);
      assertThat(postAt(second.uri(), "/v1/attest", attestBody(fromA, teeKey, evidence)).problem())
          .isEqualTo("nonce-wrong-issuer");
      assertThat(attest(fromA, teeKey, evidence).problem()).isEqualTo("nonce-reused");
      String fromB = postAt(second.uri(), "/v1/challenge", Map.of()).json().path("nonce").asText();
      String evidenceB = evidence(fromB, teeKey, "bb02", null);
      assertThat(attest(fromB, teeKey, evidenceB).problem()).isEqualTo("nonce-wrong-issuer");
      TestServer.Response okAtB =
          postAt(second.uri(), "/v1/attest", attestBody(fromB, teeKey, evidenceB));
      assertThat(okAtB.status()).as(okAtB.text()).isEqualTo(200);
    }
  }

  @Test
  void attest_refusals_areTypedProblems() throws Exception {
    ECKey teeKey = newKey();
    String used = nonce();
    assertThat(attest(used, teeKey, evidence(used, teeKey, "bb02", null)).status()).isEqualTo(200);
    assertThat(attest(used, teeKey, evidence(used, teeKey, "bb02", null)).problem())
        .isEqualTo("nonce-reused");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertThat(attest(forged, teeKey, evidence(forged, teeKey, "bb02", null)).problem())
        .isEqualTo("nonce-invalid");
    String n1 = nonce();
    assertThat(attest(n1, teeKey, evidence(n1, newKey(), "bb02", null)).problem())
        .isEqualTo("binding-mismatch");
    String n2 = nonce();
    var notAccepted = attest(n2, teeKey, evidence(n2, teeKey, "cc03", null));
    assertThat(notAccepted.problem()).isEqualTo("no-matching-version");
    assertThat(notAccepted.json().path("detail").asText())
        .contains("1.0: measurement differs")
        .contains("2.0: measurement differs");
    String n3 = nonce();
    assertThat(attest(n3, teeKey, evidence(n3, teeKey, "aa01", "00".repeat(32))).problem())
        .isEqualTo("configuration-mismatch");
    String n4 = nonce();
    assertThat(attest(n4, teeKey, evidence(n4, teeKey, "aa01", null)).problem())
        .isEqualTo("configuration-mismatch");
    String n5 = nonce();
    String debug =
        dev.arbiter.evidence.sample.SampleEvidenceTestSupport.signWithDebug(
            newKey(), "bb02", Binding.value(Base64.getUrlDecoder().decode(n5), teeKey));
    var denied = attest(n5, teeKey, debug);
    assertThat(denied.problem()).as(denied.text()).isEqualTo("policy-denied");
    String n6 = nonce();
    String tampered = evidence(n6, teeKey, "bb02", null);
    tampered =
        tampered.substring(0, tampered.length() - 4)
            + (tampered.endsWith("AAAA") ? "BBBB" : "AAAA");
    var rejected = attest(n6, teeKey, tampered);
    assertThat(rejected.problem()).isEqualTo("evidence-rejected");
    assertThat(rejected.json().path("problems").findValuesAsText("type"))
        .contains("urn:arbiter:problem:signature-invalid");
    String n7 = nonce();
    var privateKey = attest(n7, teeKey, evidence(n7, teeKey, "bb02", null)).status();
    assertThat(privateKey).isEqualTo(200);
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("workload", "flow");
    bad.put("instance_id", "i-1");
    bad.put("nonce", nonce());
    bad.put("tee_key", teeKey.toJSONObject());
    bad.put("evidence", Map.of("format", "sample", "data", "AAAA"));
    assertThat(server.anonymous().post("/v1/attest", bad).problem()).isEqualTo("tee-key-invalid");
    bad.put("workload", "nope");
    bad.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    assertThat(server.anonymous().post("/v1/attest", bad).problem())
        .isEqualTo("workload-not-found");
  }

  @Test
  void appraisal_issuesNoSql() throws Exception {
    var jdbi = server.server().database().jdbi();
    var fleet = server.server().services().fleet();
    fleet.flush(5000);
    fleet.pause();
    java.util.concurrent.atomic.AtomicInteger statements =
        new java.util.concurrent.atomic.AtomicInteger();
    SqlLogger counting =
        new SqlLogger() {
          @Override
          public void logBeforeExecution(StatementContext context) {
            // background workers (heartbeat, scheduler, fleet writer, policy listener) are named
            // arbiter-*;
            // appraisals run on the server's request threads
            if (!Thread.currentThread().getName().startsWith("arbiter-")) {
              statements.incrementAndGet();
            }
          }
        };
    jdbi.setSqlLogger(counting);
    long before;
    try {
      before = fleet.written();
      for (int i = 0; i < 20; i++) {
        ECKey teeKey = newKey();
        String nonce = nonce();
        assertThat(attest(nonce, teeKey, evidence(nonce, teeKey, "bb02", null)).status())
            .isEqualTo(200);
      }
      assertThat(statements.get()).as("SQL statements issued by 20 appraisals").isZero();
    } finally {
      jdbi.setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
      fleet.resume();
    }
    fleet.flush(10_000);
    assertThat(fleet.written() - before).isGreaterThanOrEqualTo(20);
    long recorded =
        jdbi.withHandle(h ->
            h.createQuery("select count(*) from fleet_instance where workload = 'flow'")
                .mapTo(Long.class)
                .one());
    assertThat(recorded).isPositive();
    String metrics = server.anonymous().get("/metrics").text();
    assertThat(metrics)
        .contains("arbiter_attestations_total{format=\"sample\",result=\"affirming\"}")
        .contains("arbiter_appraisal_seconds")
        .contains("arbiter_fleet_dropped_total");
  }

  @Test
  void sampleTee_cli_attestsAndResultVerifyChecksTheEar(@TempDir Path out) throws Exception {
    String dir = server.dataDir().toString();
    CliRun tee =
        CliRun.of(
            "sample-tee",
            "--workload",
            "flow",
            "--measurement",
            "AA01",
            "--config",
            "trust_roots=sha256:" + "1".repeat(64),
            "--out",
            out.toString(),
            "--data-dir",
            dir);
    assertThat(tee.exitCode()).as(tee.err()).isZero();
    assertThat(Files.exists(out.resolve("ear.jwt"))).isTrue();
    CliRun verify =
        CliRun.of(
            "result",
            "verify",
            "--token",
            out.resolve("ear.jwt").toString(),
            "--json",
            "--data-dir",
            dir);
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.json().path("status").asText()).isEqualTo("affirming");
    assertThat(
            verify
                .json()
                .path("claims")
                .path("submods")
                .path("flow")
                .path("arbiter.version")
                .asText())
        .isEqualTo("1.0");
    CliRun refused =
        CliRun.of(
            "sample-tee",
            "--workload",
            "flow",
            "--measurement",
            "cc03",
            "--out",
            out.toString(),
            "--data-dir",
            dir);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("no-matching-version");
  }
}
