// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import dev.arbiter.tlog.InclusionProof;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import dev.arbiter.tlog.Merkle;
import dev.arbiter.tlog.TransparencyLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real server and database: the audited settings and routes, a batched prune that
 * keeps every root, checkpoint and proof and each version's first decision, and the attacks a prune
 * must not hide (bodies nulled by SQL).
 */
class DecisionRetentionTest {
  private static final Principal OPERATOR = new Principal("ops", Role.OPERATOR, "00");

  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Jdbi jdbi() {
    return server.server().database().jdbi();
  }

  private void workload(String name) {
    var operator = server.operator();
    assertThat(operator.post("/v1/workloads", Map.of("name", name)).status()).isEqualTo(201);
  }

  /** A decision leaf and its fleet event, as the appraiser and the fleet recorder write them. */
  private void decide(String workload, String version, String verdict) {
    Instant now = Instant.now();
    String jti = UUID.randomUUID().toString();
    assertThat(
            server
                .server()
                .transparencyLog()
                .append(
                    LogEntry.decision(
                        new dev.arbiter.tlog.Decision(
                            now,
                            workload,
                            "i-" + jti.substring(0, 8),
                            "sample",
                            "ab".repeat(32),
                            version,
                            "rev",
                            verdict,
                            List.of(),
                            jti))))
        .isEqualTo(TransparencyLog.AppendResult.ACCEPTED);
    jdbi()
        .useHandle(h ->
            h.execute(
                "insert into attestation_event(at, workload, instance_id, format, version, status)"
                    + " values (?, ?, ?, 'sample', ?, ?)",
                now.atOffset(ZoneOffset.UTC),
                workload,
                "i-" + jti.substring(0, 8),
                version,
                verdict.equals("affirming") ? "affirming" : "failed"));
  }

  /** A retention service whose clock runs {@code ahead} of the server's. */
  private DecisionRetention retention(Duration ahead, int batch) {
    var services = server.server().services();
    return new DecisionRetention(
        server.server().database(),
        services.policies(),
        services.audit(),
        Clock.offset(Clock.systemUTC(), ahead),
        batch);
  }

  private List<Long> bodiless() {
    return jdbi()
        .withHandle(h ->
            h.createQuery("select leaf_index from tlog_leaf where body is null order by 1")
                .mapTo(Long.class)
                .list());
  }

  private long events(String workload) {
    return jdbi()
        .withHandle(h ->
            h.createQuery("select count(*) from attestation_event where workload = :w")
                .bind("w", workload)
                .mapTo(Long.class)
                .one());
  }

  private IntegrityCheck.Report integrity() {
    return IntegrityCheck.run(server.server().database(), server.server().services().keyRing());
  }

  @Test
  void settings_areAuditedVisibleAndRoleChecked() {
    workload("kept");
    var operator = server.operator();
    var set =
        operator.put(
            "/v1/workloads/kept/retention", Map.of("decisions", "90d", "reason", "policy RP-7"));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    assertThat(set.json().path("decision_retention").asText()).isEqualTo("P90D");
    assertThat(operator.get("/v1/workloads/kept").json().path("decision_retention").asText())
        .isEqualTo("P90D");
    AuditRecord record =
        server
            .server()
            .database()
            .inTransaction(tx -> AuditLog.withAction(tx, "workload.set-retention"))
            .getLast();
    assertThat(record.body().path("target").asText()).isEqualTo("kept");
    assertThat(record.body().path("details").path("decisions").asText()).isEqualTo("P90D");
    // refusals: too short, not a duration, no reason, wrong role; nothing changes
    var shortOne =
        operator.put("/v1/workloads/kept/retention", Map.of("decisions", "5h", "reason", "r"));
    assertThat(shortOne.status()).isEqualTo(400);
    assertThat(shortOne.problem()).isEqualTo("retention-invalid");
    assertThat(
            operator
                .put("/v1/workloads/kept/retention", Map.of("decisions", "soon", "reason", "r"))
                .problem())
        .isEqualTo("retention-invalid");
    assertThat(
            operator
                .put("/v1/workloads/kept/retention", Map.of("decisions", "P30D", "reason", " "))
                .status())
        .isEqualTo(400);
    assertThat(
            server
                .as(Role.AUDITOR, "aud")
                .put("/v1/workloads/kept/retention", Map.of("decisions", "P1D", "reason", "r"))
                .status())
        .isEqualTo(403);
    assertThat(operator.get("/v1/workloads/kept").json().path("decision_retention").asText())
        .isEqualTo("P90D");
    // the default: forever until set; a workload without its own follows it
    workload("other");
    JsonNode overview = operator.get("/v1/decisions/retention").json();
    assertThat(overview.path("default").asText()).isEqualTo("forever");
    var def =
        operator.put("/v1/decisions/retention", Map.of("decisions", "400d", "reason", "RP-7"));
    assertThat(def.status()).as(def.text()).isEqualTo(200);
    assertThat(def.json().path("default").asText()).isEqualTo("P400D");
    assertThat(def.json().path("workloads").findValues("effective").stream().map(JsonNode::asText))
        .containsExactlyInAnyOrder("P90D", "P400D");
    // back to the default
    var cleared =
        operator.put(
            "/v1/workloads/kept/retention", java.util.Collections.singletonMap("reason", "back"));
    assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
    assertThat(cleared.json().path("decision_retention").isNull()).isTrue();
    // the CLI
    CliRun show = CliRun.of("workload", "show", "kept", "--data-dir", server.dataDir().toString());
    assertThat(show.out()).as(show.err()).contains("retention  decisions server default");
    CliRun cli =
        CliRun.of(
            "workload",
            "set-retention",
            "--workload",
            "kept",
            "--decisions",
            "30d",
            "--reason",
            "cli",
            "--data-dir",
            server.dataDir().toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("decision retention of kept: P30D");
    assertThat(integrity().findings()).isEmpty();
  }

  @Test
  void prune_batched_keepsFirstDecisionsRootsCheckpointsAndProofs_andIsAudited() {
    workload("short");
    workload("long");
    server
        .operator()
        .put("/v1/workloads/short/retention", Map.of("decisions", "P1D", "reason", "test"));
    decide("short", "v1", "failed");
    decide("short", "v1", "affirming"); // the first recognized decision of v1: kept
    decide("short", "v1", "affirming");
    decide("long", "v1", "affirming");
    decide("short", null, "failed");
    decide("short", "v2", "affirming"); // kept
    decide("short", "v2", "affirming");
    decide("short", "v1", "failed");
    TransparencyLog log = server.server().transparencyLog();
    log.flush();
    LogStore store = new LogStore(jdbi());
    LogStore.TreeHead head = store.head();
    LogStore.StoredCheckpoint checkpoint = store.latestCheckpoint().orElseThrow();
    List<LogStore.LoggedLeaf> shortLeaves =
        store.decisions(
            new LogStore.DecisionQuery(
                Optional.of("short"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()),
            100);
    assertThat(shortLeaves).hasSize(7);
    List<InclusionProof> proofsBefore = new ArrayList<>();
    for (LogStore.LoggedLeaf leaf : shortLeaves) {
      proofsBefore.add(log.inclusionProof(leaf.index(), checkpoint.size()));
    }

    // nothing is past retention yet; a dry run one year ahead counts and changes nothing
    assertThat(retention(Duration.ZERO, 2).prune(OPERATOR, Optional.of("short"), false))
        .singleElement()
        .satisfies(run -> assertThat(run.decisionsPruned()).isZero());
    PruneRun dry =
        retention(Duration.ofDays(3), 2).prune(OPERATOR, Optional.of("short"), true).getFirst();
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.decisionsPruned()).isEqualTo(5);
    assertThat(dry.attestationEventsDeleted()).isEqualTo(5);
    assertThat(dry.keptFirstDecisions()).isEqualTo(2);
    assertThat(bodiless()).isEmpty();

    // the prune, three days on: batches of two; "long" keeps everything (forever)
    List<PruneRun> runs = retention(Duration.ofDays(3), 2).prune(OPERATOR, Optional.empty(), false);
    PruneRun run =
        runs.stream().filter(r -> r.workload().equals("short")).findFirst().orElseThrow();
    assertThat(run.decisionsPruned()).isEqualTo(5);
    assertThat(run.attestationEventsDeleted()).isEqualTo(5);
    assertThat(run.auditRecords()).hasSize(3);
    assertThat(runs.stream().filter(r -> r.workload().equals("long")).findFirst().orElseThrow())
        .satisfies(r -> {
          assertThat(r.retention()).isEqualTo("forever");
          assertThat(r.decisionsPruned()).isZero();
        });
    assertThat(events("short")).isEqualTo(2);
    assertThat(events("long")).isEqualTo(1);

    // the first affirming decision of v1 and v2 keep their bodies; the others lost them
    List<Long> pruned = bodiless();
    assertThat(pruned).hasSize(5);
    List<String> kept =
        store
            .decisions(
                new LogStore.DecisionQuery(
                    Optional.of("short"),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()),
                100)
            .stream()
            .map(l ->
                l.entry().body().path("matched_version").asText()
                    + ":"
                    + l.entry().body().path("verdict").asText())
            .toList();
    assertThat(kept).containsExactly("v2:affirming", "v1:affirming");
    assertThat(store.findByJti(shortLeaves.getFirst().entry().body().path("jti").asText()))
        .as("the last decision (v1 failed) was pruned: its jti is gone")
        .isEmpty();

    // the tree is unchanged (it only grew by the prune's audit records): the root at the old
    // size, a consistency proof from it to the new head, the checkpoint's root, every proof
    LogStore.TreeHead now = store.head();
    assertThat(now.size()).isEqualTo(head.size() + 3);
    assertThat(store.rootAt(head.size())).isEqualTo(head.rootHash());
    assertThat(
            Merkle.verifyConsistency(
                head.size(),
                now.size(),
                head.rootHash(),
                now.rootHash(),
                store.consistencyProof(head.size(), now.size())))
        .isTrue();
    assertThat(store.rootAt(checkpoint.size())).isEqualTo(checkpoint.rootHash());
    for (int i = 0; i < shortLeaves.size(); i++) {
      LogStore.LoggedLeaf leaf = shortLeaves.get(i);
      InclusionProof after = log.inclusionProof(leaf.index(), checkpoint.size());
      assertThat(after).isEqualTo(proofsBefore.get(i));
      assertThat(
              Merkle.verifyInclusion(
                  leaf.index(),
                  checkpoint.size(),
                  Merkle.leafHash(
                      leaf.leafText().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                  after.hashes().stream().map(java.util.Base64.getDecoder()::decode).toList(),
                  checkpoint.rootHash()))
          .isTrue();
    }

    // audited: three decisions.prune records committing to 2 + 2 + 1 leaves
    List<AuditRecord> records =
        server
            .server()
            .database()
            .inTransaction(tx -> AuditLog.withAction(tx, IntegrityCheck.PRUNE_ACTION));
    assertThat(records).hasSize(3);
    assertThat(
            records.stream()
                .mapToLong(r -> r.body().path("details").path("decisions_pruned").asLong())
                .sum())
        .isEqualTo(5);
    assertThat(records.getFirst().body().path("principal").asText()).isEqualTo(OPERATOR.label());
    assertThat(records.getFirst().body().path("target").asText()).isEqualTo("short");

    // a second prune has nothing left; the log and the records verify
    assertThat(retention(Duration.ofDays(3), 2).prune(OPERATOR, Optional.of("short"), false))
        .singleElement()
        .satisfies(r -> assertThat(r.auditRecords()).isEmpty());
    assertThat(integrity().findings()).isEmpty();
    assertThat(log.audit().findings()).isEmpty();
    assertThat(log.audit().pruned()).hasSize(3);
    CliRun verify = CliRun.of("audit", "verify", "--data-dir", server.dataDir().toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
  }

  @Test
  void prune_refusedWhileAnotherReplicaPrunes_andThroughTheRoute() {
    workload("busy");
    try (Handle other = jdbi().open()) {
      other.execute("select pg_advisory_lock(7021782974021662062)");
      assertThatThrownBy(
              () -> retention(Duration.ZERO, 10).prune(OPERATOR, Optional.of("busy"), false))
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> assertThat(e.problem().type()).isEqualTo(RetentionProblem.PRUNE_IN_PROGRESS));
      var refused = server.operator().post("/v1/decisions/prune", Map.of("workload", "busy"));
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.problem()).isEqualTo("prune-in-progress");
      // the handle's connection goes back to the pool: a session lock would outlive close()
      other.execute("select pg_advisory_unlock(7021782974021662062)");
    }
    var ok =
        server.operator().post("/v1/decisions/prune", Map.of("workload", "busy", "dry_run", true));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.json().path("runs").get(0).path("retention").asText()).isEqualTo("forever");
    assertThat(server.as(Role.AUDITOR, "aud").post("/v1/decisions/prune", Map.of()).status())
        .isEqualTo(403);
    assertThat(server.operator().post("/v1/decisions/prune", Map.of("workload", "nope")).problem())
        .isEqualTo("workload-not-found");
  }

  @Test
  void bodiesNulledBySql_areFindings_evenUnderAPrunesMark() {
    workload("atk");
    server
        .operator()
        .put("/v1/workloads/atk/retention", Map.of("decisions", "P1D", "reason", "test"));
    decide("atk", "v1", "affirming");
    decide("atk", "v1", "failed");
    decide("atk", "v1", "failed");
    server.server().transparencyLog().flush();
    retention(Duration.ofDays(2), 100).prune(OPERATOR, Optional.of("atk"), false);
    assertThat(integrity().findings()).isEmpty();
    long pruneSeq =
        jdbi()
            .withHandle(
                h -> h.createQuery("select max(pruned_by) from tlog_leaf").mapTo(Long.class).one());
    // an attacker with SQL access (the table owner: constraints dropped too)
    jdbi().useHandle(h -> h.execute("alter table tlog_leaf drop constraint tlog_leaf_pruned_body"));
    decide("atk", "v2", "affirming");
    decide("atk", "v2", "failed");
    server.server().transparencyLog().flush();
    long[] fresh =
        jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select leaf_index from tlog_leaf where kind = 'decision' and body is not"
                            + " null order by leaf_index desc limit 2")
                    .mapTo(Long.class)
                    .list())
            .stream()
            .mapToLong(Long::longValue)
            .toArray();
    // 1. a body nulled without a mark
    jdbi()
        .useHandle(
            // (and the derived workload column, or audit verify reports that too)
            h ->
                h.execute(
                    "update tlog_leaf set body = null, workload = null where leaf_index = ?",
                    fresh[0]));
    assertThat(integrity().findings())
        .extracting(IntegrityCheck.Finding::problem)
        .anyMatch(
            p -> p.contains("leaf " + fresh[0] + ": its body is gone without a prune record"));
    // 2. ... or marked as pruned by the real prune: its count and digest no longer match
    jdbi()
        .useHandle(h ->
            h.execute(
                "update tlog_leaf set pruned_by = ? where leaf_index = ?", pruneSeq, fresh[0]));
    assertThat(integrity().findings())
        .extracting(IntegrityCheck.Finding::problem)
        .singleElement()
        .satisfies(p ->
            assertThat(p)
                .contains("marked as pruned by audit record " + pruneSeq)
                .contains("are not the 2 leaves it records"));
    // 3. ... or by a record that is no prune
    jdbi()
        .useHandle(
            h -> h.execute("update tlog_leaf set pruned_by = 1 where leaf_index = ?", fresh[0]));
    assertThat(integrity().findings())
        .extracting(IntegrityCheck.Finding::problem)
        .singleElement()
        .satisfies(p ->
            assertThat(p)
                .contains("audit record 1, which is not a verified decisions.prune record"));
    // 4. the body of a policy revision leaf: only decisions may be pruned
    long revisionLeaf =
        jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select max(leaf_index) from tlog_leaf where kind = 'policy_revision'")
                    .mapTo(Long.class)
                    .one());
    jdbi()
        .useHandle(h ->
            h.execute(
                "update tlog_leaf set body = null, pruned_by = ? where leaf_index = ?",
                pruneSeq,
                revisionLeaf));
    List<String> problems =
        integrity().findings().stream()
            .map(f -> f.table() + " " + f.record() + ": " + f.problem())
            .toList();
    assertThat(problems)
        .anyMatch(p ->
            p.contains(
                "leaf "
                    + revisionLeaf
                    + ": its body is gone, but it is a policy_revision leaf (only decision leaves"
                    + " may be pruned)"))
        .anyMatch(p -> p.startsWith("policy_revision atk#") && p.contains("has no leaf"));
    CliRun verify = CliRun.of("audit", "verify", "--data-dir", server.dataDir().toString());
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("only decision leaves may be pruned");
  }
}
