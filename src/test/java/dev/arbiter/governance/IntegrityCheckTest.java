// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tampering, concurrency and restarts against a server with its own database. */
class IntegrityCheckTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void concurrentConflictingChanges_oneWins_otherGets409_nothingLost() throws Exception {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "race"));
    for (String v : List.of("A", "B", "C", "D")) {
      operator.post(
          "/v1/workloads/race/versions",
          Map.of("version", v, "reference_values", Map.of("sample", Map.of("measurement", v + v))));
    }
    String base = operator.get("/v1/workloads/race/policy").json().path("hash").asText();
    var pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    Callable<Integer> acceptA =
        () -> {
          go.await();
          return operator
              .post(
                  "/v1/workloads/race/policy/accept",
                  Map.of("version", "A", "reason", "a", "base_revision", base))
              .status();
        };
    Callable<Integer> acceptB =
        () -> {
          go.await();
          return operator
              .post(
                  "/v1/workloads/race/policy/accept",
                  Map.of("version", "B", "reason", "b", "base_revision", base))
              .status();
        };
    Future<Integer> a = pool.submit(acceptA);
    Future<Integer> b = pool.submit(acceptB);
    go.countDown();
    assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(200, 409);
    var accepted = operator.get("/v1/workloads/race/policy").json().path("accepted");
    assertThat(accepted).hasSize(1);
    // without a base revision, concurrent changes are serialized and both land
    Future<Integer> c =
        pool.submit(() ->
            operator
                .post("/v1/workloads/race/policy/accept", Map.of("version", "C", "reason", "c"))
                .status());
    Future<Integer> d =
        pool.submit(() ->
            operator
                .post("/v1/workloads/race/policy/accept", Map.of("version", "D", "reason", "d"))
                .status());
    assertThat(List.of(c.get(), d.get())).containsOnly(200);
    pool.shutdown();
    assertThat(operator.get("/v1/workloads/race/policy").json().path("accepted")).hasSize(3);
    assertThat(
            IntegrityCheck.run(server.server().database(), server.server().services().keyRing())
                .intact())
        .isTrue();
  }

  @Test
  void restart_keepsData_andCliWorksAgainstIt() throws Exception {
    String dir = server.dataDir().toString();
    CliRun created =
        CliRun.of("workload", "create", "persisted", "--owner", "ops", "--data-dir", dir);
    assertThat(created.exitCode()).as(created.err()).isZero();
    server.restart();
    CliRun list = CliRun.of("workload", "list", "--json", "--data-dir", dir);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.json().path("workloads").findValuesAsText("name")).contains("persisted");
    CliRun duplicate = CliRun.of("workload", "create", "persisted", "--data-dir", dir);
    assertThat(duplicate.exitCode()).isEqualTo(1);
    assertThat(duplicate.err()).contains("workload-exists");
    CliRun badCel =
        CliRun.of(
            "policy",
            "set-appraisal",
            "--workload",
            "persisted",
            "--cel",
            "1 +",
            "--reason",
            "x",
            "--data-dir",
            dir);
    assertThat(badCel.exitCode()).isEqualTo(1);
    assertThat(badCel.err()).contains("invalid-cel");
    CliRun noServer =
        CliRun.of("workload", "list", "--data-dir", dir, "--server", "https://127.0.0.1:1");
    assertThat(noServer.exitCode()).isEqualTo(2);
  }

  @Test
  void serviceKeyRotation_isAudited_andOldRecordsStillVerify() throws Exception {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "rotating"));
    String before = operator.get("/v1/workloads/rotating/policy").json().path("key_id").asText();
    CliRun rotate =
        CliRun.of(
            "admin",
            "rotate-key",
            "--reason",
            "yearly rotation",
            "--data-dir",
            server.dataDir().toString());
    assertThat(rotate.exitCode()).as(rotate.err()).isZero();
    server.restart();
    var revision =
        server
            .operator()
            .put(
                "/v1/workloads/rotating/policy/appraisal",
                Map.of("cel", "true", "reason", "after rotation"))
            .json();
    assertThat(revision.path("key_id").asText()).isNotEqualTo(before);
    var jwks = server.anonymous().get("/.well-known/jwks.json").json();
    assertThat(jwks.path("keys").findValuesAsText("kid"))
        .contains(before, revision.path("key_id").asText());
    assertThat(
            IntegrityCheck.run(server.server().database(), server.server().services().keyRing())
                .intact())
        .isTrue();
    var audit = server.operator().get("/v1/audit?target=service-key").json().path("records");
    assertThat(audit.findValuesAsText("action")).contains("service-key.rotate");
  }

  @Test
  void tampering_withOneRevisionAndOneAuditRow_isReportedOnExactlyThose() {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "tamper"));
    operator.post(
        "/v1/workloads/tamper/versions",
        Map.of("version", "1", "reference_values", Map.of("sample", Map.of("measurement", "aa"))));
    operator.post("/v1/workloads/tamper/policy/accept", Map.of("version", "1", "reason", "go"));
    operator.put(
        "/v1/workloads/tamper/policy/appraisal", Map.of("cel", "true", "reason", "allow all"));
    var jdbi = server.server().database().jdbi();
    assertThat(
            IntegrityCheck.run(server.server().database(), server.server().services().keyRing())
                .intact())
        .isTrue();
    long auditSeq =
        jdbi.withHandle(
            h -> h.createQuery("select max(seq) - 1 from audit_record").mapTo(Long.class).one());
    jdbi.useHandle(h -> {
      h.execute(
          "update policy_revision set body = replace(body, '\"reason\":\"go\"',"
              + " '\"reason\":\"gone\"') where workload = 'tamper' and seq = 2");
      h.execute(
          "update audit_record set body = replace(body, '\"principal\":\"operator:operator\"',"
              + " '\"principal\":\"operator:mallory\"') where seq = ?",
          auditSeq);
    });
    IntegrityCheck.Report report =
        IntegrityCheck.run(server.server().database(), server.server().services().keyRing());
    assertThat(report.findings())
        .extracting(IntegrityCheck.Finding::table, IntegrityCheck.Finding::record)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("policy_revision", "tamper#2"),
            org.assertj.core.groups.Tuple.tuple("audit_record", Long.toString(auditSeq)));
    CliRun verify = CliRun.of("audit", "verify", "--data-dir", server.dataDir().toString());
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out())
        .contains("BROKEN policy_revision tamper#2")
        .contains("BROKEN audit_record " + auditSeq);
    // repair so other tests in this class see an intact chain
    jdbi.useHandle(h -> {
      h.execute(
          "update policy_revision set body = replace(body, '\"reason\":\"gone\"',"
              + " '\"reason\":\"go\"') where workload = 'tamper' and seq = 2");
      h.execute(
          "update audit_record set body = replace(body, '\"principal\":\"operator:mallory\"',"
              + " '\"principal\":\"operator:operator\"') where seq = ?",
          auditSeq);
    });
    assertThat(
            IntegrityCheck.run(server.server().database(), server.server().services().keyRing())
                .intact())
        .isTrue();
  }
}
