// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.Ed25519Key;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Json;
import dev.arbiter.store.StoreException;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import dev.arbiter.tlog.Checkpoint;
import dev.arbiter.tlog.CheckpointSigner;
import dev.arbiter.tlog.InclusionProof;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.NoteVerifierKey;
import dev.arbiter.tlog.ProofVerifier;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transparency log wired into a real server: decisions logged, proofs, witness, 503 when full,
 * startup check.
 */
class TransparencyLogServerTest {
  private static final String ORIGIN = "arbiter/127.0.0.1";

  @Test
  void attestation_isLogged_provable_witnessed_andRefusedWhenTheLogCannotTakeIt(@TempDir Path tmp)
      throws Exception {
    try (TestServer server = TestServer.start(c -> c.withDev(true))) {
      workload(server);

      // the pinned key comes from the data directory, and equals what the convenience route serves
      Path keyFile = server.dataDir().resolve(CheckpointSigner.KEY_FILE);
      NoteVerifierKey pinned = NoteVerifierKey.of(ORIGIN, Ed25519Key.load(keyFile).publicKey());
      assertThat(server.anonymous().get("/v1/log/key").text().strip()).isEqualTo(pinned.encoded());

      // an attestation yields a decision leaf named by the EAR's jti, provable against the
      // checkpoint
      var response = attest(server, "aa01");
      assertThat(response.status()).as(response.text()).isEqualTo(200);
      String jti = jti(response.json().path("token").asText());
      server.server().transparencyLog().flush();
      var proofAnswer = server.anonymous().get("/v1/log/proof?jti=" + jti);
      assertThat(proofAnswer.status()).as(proofAnswer.text()).isEqualTo(200);
      var checkpoint = server.anonymous().get("/v1/log/checkpoint");
      assertThat(checkpoint.status()).isEqualTo(200);
      assertThat(checkpoint.contentType()).startsWith("text/plain");
      String leaf = proofAnswer.json().path("leaf").asText();
      InclusionProof proof = InclusionProof.fromJson(proofAnswer.json().path("proof").toString());
      assertThat(
              ProofVerifier.verifyInclusion(pinned.encoded(), checkpoint.text(), leaf, proof).ok())
          .isTrue();
      JsonNode body = Json.readTree(leaf).path("body");
      assertThat(body.path("jti").asText()).isEqualTo(jti);
      assertThat(body.path("workload").asText()).isEqualTo("logged");
      assertThat(body.path("verdict").asText()).isEqualTo("affirming");
      assertThat(body.path("matched_version").asText()).isEqualTo("1.0");
      assertThat(server.anonymous().get("/v1/log/proof?jti=nope").problem())
          .isEqualTo("decision-not-logged");
      assertThat(server.anonymous().get("/v1/log/consistency?from=5&to=1").problem())
          .isEqualTo("tree-size-invalid");
      assertThat(server.anonymous().get("/v1/log/consistency?from=0&to=99999").problem())
          .isEqualTo("tree-size-invalid");
      assertThat(server.anonymous().get("/v1/log/consistency?from=x&to=1").status()).isEqualTo(400);

      // a refusal with verified evidence is logged too
      assertThat(attest(server, "ff99").status()).isEqualTo(422);

      // CLI: proof fetched, verified offline; a tampered leaf is invalid
      String dir = server.dataDir().toString();
      Path proofFile = tmp.resolve("proof.json");
      Path checkpointFile = tmp.resolve("checkpoint.txt");
      CliRun fetched =
          CliRun.of("log", "proof", "--jti", jti, "--out", proofFile.toString(), "--data-dir", dir);
      assertThat(fetched.exitCode()).as(fetched.err()).isZero();
      // the checkpoint the proof was made against (a later one may exist by now)
      Files.writeString(
          checkpointFile,
          dev.arbiter.internal.Json.readTree(Files.readString(proofFile))
              .path("proof")
              .path("checkpoint")
              .asText());
      CliRun verified =
          CliRun.of(
              "log",
              "verify-proof",
              "--proof",
              proofFile.toString(),
              "--checkpoint",
              checkpointFile.toString(),
              "--log-key",
              pinned.encoded());
      assertThat(verified.exitCode()).as(verified.err()).isZero();
      assertThat(verified.out()).contains("valid: leaf").contains(jti);
      Path tampered = tmp.resolve("tampered.json");
      Files.writeString(tampered, Files.readString(proofFile).replace("affirming", "warning"));
      CliRun invalid =
          CliRun.of(
              "log",
              "verify-proof",
              "--proof",
              tampered.toString(),
              "--checkpoint",
              checkpointFile.toString(),
              "--log-key",
              pinned.encoded());
      assertThat(invalid.exitCode()).isEqualTo(1);
      assertThat(invalid.err()).contains("leaf-hash-mismatch");
      assertThat(
              CliRun.of(
                      "log",
                      "verify-proof",
                      "--proof",
                      proofFile.toString(),
                      "--checkpoint",
                      checkpointFile.toString())
                  .exitCode())
          .isEqualTo(2);

      // witness: first checkpoint pinned and kept, the next one extends it
      Path witness = tmp.resolve("witness");
      CliRun first =
          CliRun.of(
              "log",
              "witness",
              "--checkpoint-dir",
              witness.toString(),
              "--log-key",
              pinned.encoded(),
              "--data-dir",
              dir);
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(Files.readString(witness.resolve("log-key.txt")).strip())
          .isEqualTo(pinned.encoded());
      assertThat(attest(server, "aa01").status()).isEqualTo(200);
      server.server().transparencyLog().flush();
      CliRun second =
          CliRun.of("log", "witness", "--checkpoint-dir", witness.toString(), "--data-dir", dir);
      assertThat(second.exitCode()).as(second.err()).isZero();
      assertThat(second.out()).contains("extends");
      long size = Checkpoint.parse(firstLines(Files.readString(witness.resolve("latest")))).size();
      assertThat(witness.resolve(size + ".checkpoint")).exists();
      // next to the server without a key: the data directory's checkpoint key, pinned on first use
      Path beside = tmp.resolve("beside");
      CliRun own =
          CliRun.of("log", "witness", "--checkpoint-dir", beside.toString(), "--data-dir", dir);
      assertThat(own.exitCode()).as(own.err()).isZero();
      assertThat(Files.readString(beside.resolve("log-key.txt")).strip())
          .isEqualTo(pinned.encoded());
      CliRun printed = CliRun.of("log", "checkpoint", "--json", "--data-dir", dir);
      assertThat(printed.exitCode()).as(printed.err()).isZero();
      assertThat(printed.json().path("tree_size").asLong()).isEqualTo(size);

      // another key: bad signature
      NoteVerifierKey other = NoteVerifierKey.of(ORIGIN, Ed25519Key.generate().publicKey());
      CliRun wrongKey =
          CliRun.of(
              "log",
              "witness",
              "--checkpoint-dir",
              tmp.resolve("w2").toString(),
              "--log-key",
              other.encoded(),
              "--data-dir",
              dir);
      assertThat(wrongKey.exitCode()).isEqualTo(1);
      assertThat(wrongKey.err()).contains("does not verify");

      // the kept checkpoint is of another history of the same size (as a rewritten database would
      // sign): fork
      CheckpointSigner signer = new CheckpointSigner(ORIGIN, Ed25519Key.load(keyFile));
      byte[] otherRoot = new byte[32];
      otherRoot[0] = 7;
      Path forked = tmp.resolve("forked");
      Files.createDirectories(forked);
      Files.writeString(
          forked.resolve("latest"), signer.sign(new Checkpoint(ORIGIN, size - 1, otherRoot)));
      CliRun fork =
          CliRun.of(
              "log",
              "witness",
              "--checkpoint-dir",
              forked.toString(),
              "--log-key",
              pinned.encoded(),
              "--data-dir",
              dir);
      assertThat(fork.exitCode()).as(fork.out()).isEqualTo(1);
      assertThat(fork.err()).contains("fork");
      // the kept checkpoint is larger than the log now: rollback
      Path rolledBack = tmp.resolve("rollback");
      Files.createDirectories(rolledBack);
      Files.writeString(
          rolledBack.resolve("latest"), signer.sign(new Checkpoint(ORIGIN, size + 10, otherRoot)));
      CliRun rollback =
          CliRun.of(
              "log",
              "witness",
              "--checkpoint-dir",
              rolledBack.toString(),
              "--log-key",
              pinned.encoded(),
              "--data-dir",
              dir);
      assertThat(rollback.exitCode()).isEqualTo(1);
      assertThat(rollback.err()).contains("rollback");

      String metrics = server.anonymous().get("/metrics").text();
      assertThat(metrics)
          .contains("arbiter_log_mode{mode=\"strict\"} 1")
          .contains("arbiter_log_queue_depth")
          .contains("arbiter_log_appended_total")
          .contains("arbiter_log_refused_total")
          .contains("arbiter_log_checkpoint_size")
          .contains("arbiter_log_checkpoint_age_seconds");

      // the log cannot take the decision (closed): 503 with Retry-After and a typed problem, no EAR
      server.server().transparencyLog().close();
      HttpResponse<String> refused = rawAttest(server, "aa01");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.body())
          .contains("urn:arbiter:problem:log-unavailable")
          .doesNotContain("token");
    }
  }

  @Test
  void start_refusesADatabaseBehindTheLocalCheckpoint_unlessAcceptedWithAReason(@TempDir Path dir)
      throws Exception {
    ServerConfig config = ServerConfig.defaults(dir).withPort(0);
    try (ArbiterServer first = ArbiterServer.start(config)) {
      var log = first.transparencyLog();
      ObjectNodeHolder.append(log);
      log.flush();
      assertThat(Files.exists(dir.resolve("tlog-checkpoint"))).isTrue();
      // as the database owner: lose the log's rows (an older backup restored)
      dev.arbiter.testing.TestDatabase.emptyTransparencyLog(first.database());
    }
    assertThatThrownBy(() -> ArbiterServer.start(config))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is behind the local checkpoint")
        .hasMessageContaining("--accept-log-state");
    CliRun serve = CliRun.of("serve", "--data-dir", dir.toString(), "--port", "0");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err().strip())
        .doesNotContain("\n")
        .contains("is behind the local checkpoint")
        .contains("--accept-log-state");
    assertThat(
            CliRun.of("serve", "--data-dir", dir.toString(), "--port", "0", "--accept-log-state")
                .err())
        .contains("needs --reason");
    ServerConfig accepted =
        config.withLog(
            LogSettings.defaults()
                .withAcceptStateReason(Optional.of("restored last night's backup")));
    try (ArbiterServer second = ArbiterServer.start(accepted)) {
      long audited =
          second
              .database()
              .jdbi()
              .withHandle(h ->
                  h.createQuery(
                          "select count(*) from audit_record where body like '%log.accept-state%'"
                              + " and body like '%restored last night''s backup%'")
                      .mapTo(Long.class)
                      .one());
      assertThat(audited).isEqualTo(1);
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .anyMatch(n -> n.startsWith("tlog-checkpoint.rejected-"));
      }
      ObjectNodeHolder.append(second.transparencyLog());
      second.transparencyLog().flush();
      assertThat(second.transparencyLog().metrics().signingHalted()).isFalse();
    }
    try (ArbiterServer third = ArbiterServer.start(config)) {
      // the audited override (an audit record is a leaf too) and the decision
      assertThat(third.transparencyLog().lastCheckpointSize()).isEqualTo(2);
    }
  }

  @Test
  void bestEffort_aDecisionTheLogRefuses_isAnsweredAndCountedAsDropped() throws Exception {
    try (TestServer server =
        TestServer.start(c ->
            c.withDev(true)
                .withLog(LogSettings.defaults().withMode(dev.arbiter.tlog.LogMode.BEST_EFFORT)))) {
      workload(server);
      server.server().transparencyLog().close();
      var response = attest(server, "aa01");
      assertThat(response.status()).as(response.text()).isEqualTo(200);
      assertThat(response.json().path("token").asText()).isNotEmpty();
      String metrics = server.anonymous().get("/metrics").text();
      assertThat(metrics)
          .contains("arbiter_log_mode{mode=\"best-effort\"} 1")
          .contains("arbiter_log_dropped_total 1.0");
    }
  }

  @Test
  void strict_fullQueueBehindAStalledWriter_answers503WithRetryAfter_andRecovers()
      throws Exception {
    try (TestServer server =
        TestServer.start(
            c -> c.withDev(true).withLog(LogSettings.defaults().withQueueCapacity(1)))) {
      workload(server);
      HttpResponse<String> refused = null;
      // stall the writer: hold the head row lock its append transaction needs
      try (var handle = server.server().database().jdbi().open()) {
        handle.begin();
        handle
            .createQuery("select tree_size from tlog_head where id = 1 for update")
            .mapTo(Long.class)
            .one();
        for (int i = 0; i < 6 && refused == null; i++) {
          HttpResponse<String> response = rawAttest(server, "aa01");
          if (response.statusCode() == 503) {
            refused = response;
          } else {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
          }
        }
        handle.rollback();
      }
      assertThat(refused).as("an attestation refused while the log's queue is full").isNotNull();
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.body())
          .contains("urn:arbiter:problem:log-unavailable")
          .contains("queue is full")
          .doesNotContain("token");
      server.server().transparencyLog().flush();
      assertThat(attest(server, "aa01").status()).isEqualTo(200);
      assertThat(server.anonymous().get("/metrics").text())
          .containsPattern("arbiter_log_refused_total [1-9]");
    }
  }

  private static void workload(TestServer server) {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "logged"));
    operator.post(
        "/v1/workloads/logged/versions",
        Map.of(
            "version", "1.0", "reference_values", Map.of("sample", Map.of("measurement", "aa01"))));
    operator.post("/v1/workloads/logged/policy/accept", Map.of("version", "1.0", "reason", "go"));
    server.server().services().policyCache().reload("logged");
  }

  /** Appends one test record. */
  private static final class ObjectNodeHolder {
    static void append(dev.arbiter.tlog.TransparencyLog log) {
      var body = Json.mapper().createObjectNode().put("test", "record");
      assertThat(
              log.append(LogEntry.of(LogEntry.Kind.AUDIT_RECORD, Instant.now(), body)).accepted())
          .isTrue();
    }
  }

  private static String firstLines(String note) {
    return note.substring(0, note.indexOf("\n\n") + 1);
  }

  private static String jti(String token) throws Exception {
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    return Json.readTree(payload).path("jti").asText();
  }

  private static Map<String, Object> request(TestServer server, String measurement)
      throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            measurement,
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "logged");
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

  private static TestServer.Response attest(TestServer server, String measurement)
      throws Exception {
    return server.anonymous().post("/v1/attest", request(server, measurement));
  }

  private static HttpResponse<String> rawAttest(TestServer server, String measurement)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(TlsContexts.create(null, null, server.dataDir().resolve("ca.pem")))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve("/v1/attest"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(request(server, measurement))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
