// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the attacks on the records' custody that {@code audit verify} missed before policy
 * revisions, audit records and key events became leaves of the transparency log: a deleted tail, a
 * restored older dump (rollback) and a rewritten history (fork). The database belongs to the test's
 * server; the tampering runs as the table owner.
 */
class LogCoverageAttackTest {
  private TestServer server;
  @TempDir Path witness;

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

  private void workloadWithAcceptedVersion(String name) {
    var operator = server.operator();
    assertThat(operator.post("/v1/workloads", Map.of("name", name)).status()).isEqualTo(201);
    operator.post(
        "/v1/workloads/" + name + "/versions",
        Map.of("version", "1", "reference_values", Map.of("sample", Map.of("measurement", "aa"))));
    assertThat(
            operator
                .post(
                    "/v1/workloads/" + name + "/policy/accept",
                    Map.of("version", "1", "reason", "go"))
                .status())
        .isEqualTo(200);
  }

  /** What a witness keeps: the server's latest signed checkpoint, in a file outside the server. */
  private Path witnessed(String name) throws IOException {
    server.server().transparencyLog().flush();
    String note = server.server().transparencyLog().latestCheckpointNote().orElseThrow();
    Path file = witness.resolve(name);
    Files.writeString(file, note, StandardCharsets.UTF_8);
    return file;
  }

  private CliRun verify(String... more) {
    List<String> args =
        new ArrayList<>(List.of("audit", "verify", "--data-dir", server.dataDir().toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static long treeSize(String note) {
    return Long.parseLong(note.split("\n")[1]);
  }

  /**
   * What a restore of an older dump leaves: the log cut back to {@code size} leaves (its subtrees,
   * checkpoints and head consistent with that size).
   */
  private void truncateLog(long size) {
    byte[] root = new LogStore(jdbi()).rootAt(size);
    jdbi()
        .useTransaction(h -> {
          h.execute("delete from tlog_leaf where leaf_index >= ?", size);
          h.execute("delete from tlog_subtree where (idx + 1) * (1::bigint << level) > ?", size);
          h.execute("delete from tlog_checkpoint where tree_size > ?", size);
          h.execute("update tlog_head set tree_size = ?, root_hash = ? where id = 1", size, root);
        });
  }

  @Test
  void recordsAndKeyEvents_areLeaves_andAnUntamperedDatabaseVerifies() throws IOException {
    workloadWithAcceptedVersion("leafy");
    Path checkpoint = witnessed("checkpoint");
    IntegrityCheck.Report report =
        IntegrityCheck.run(server.server().database(), server.server().services().keyRing());
    assertThat(report.findings()).isEmpty();
    assertThat(report.leavesChecked())
        .isEqualTo(report.revisionsChecked() + report.auditRecordsChecked() + keyEvents());
    assertThat(keyEvents()).as("the service key's registration is a key_event leaf").isPositive();
    CliRun verify = verify("--trusted-checkpoint", checkpoint.toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("intact:").contains("1 trusted checkpoint(s)");
    CliRun json = verify("--json", "--trusted-checkpoint", checkpoint.toString());
    assertThat(json.json().path("trusted_checkpoints_checked").asInt()).isOne();
    // usage and I/O: exit 2; a checkpoint the pinned key did not sign: a finding
    assertThat(verify("--trusted-checkpoint", witness.resolve("absent").toString()).exitCode())
        .isEqualTo(2);
    assertThat(verify("--log-key", "not-a-key").exitCode()).isEqualTo(2);
    Path forged = witness.resolve("forged");
    Files.writeString(forged, Files.readString(checkpoint).replaceFirst("\\n\\d+\\n", "\n999\n"));
    CliRun unsigned = verify("--trusted-checkpoint", forged.toString());
    assertThat(unsigned.exitCode()).isEqualTo(1);
    assertThat(unsigned.out())
        .contains(
            "BROKEN trusted_checkpoint " + forged + ": does not verify with the pinned log key");
  }

  private long keyEvents() {
    return server
        .server()
        .database()
        .inTransaction(tx -> LogStore.leavesOfKind(tx, LogEntry.Kind.KEY_EVENT))
        .size();
  }

  @Test
  void deletingTheLastAuditRecordAndTheHeadRevision_isReportedAsAMissingTail() {
    workloadWithAcceptedVersion("tail");
    long lastAudit =
        jdbi()
            .withHandle(
                h -> h.createQuery("select max(seq) from audit_record").mapTo(Long.class).one());
    assertThat(verify().exitCode()).isZero();
    // the attack: both chains stay internally valid, only their tails are gone
    jdbi()
        .useHandle(h -> {
          h.execute("delete from audit_record where seq = ?", lastAudit);
          h.execute(
              "delete from policy_revision where workload = 'tail' and seq = (select max(seq) from"
                  + " policy_revision where workload = 'tail')");
        });
    IntegrityCheck.Report report =
        IntegrityCheck.run(server.server().database(), server.server().services().keyRing());
    assertThat(report.findings())
        .extracting(IntegrityCheck.Finding::table, IntegrityCheck.Finding::record)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("audit_record", Long.toString(lastAudit)),
            org.assertj.core.groups.Tuple.tuple("policy_revision", "tail#2"));
    CliRun verify = verify();
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out())
        .contains("BROKEN audit_record " + lastAudit + ": missing")
        .contains("BROKEN policy_revision tail#2: missing")
        .contains("2 finding(s)");
  }

  @Test
  void restoringAnOlderDump_isReportedAsARollbackAgainstANewerWitnessedCheckpoint()
      throws IOException {
    workloadWithAcceptedVersion("old");
    Path older = witnessed("older");
    long olderSize = treeSize(Files.readString(older));
    long auditAtOlder =
        jdbi()
            .withHandle(
                h -> h.createQuery("select max(seq) from audit_record").mapTo(Long.class).one());
    server
        .operator()
        .put("/v1/workloads/old/policy/appraisal", Map.of("cel", "true", "reason", "later"));
    Path newer = witnessed("newer");
    assertThat(treeSize(Files.readString(newer))).isGreaterThan(olderSize);
    assertThat(verify("--trusted-checkpoint", newer.toString()).exitCode()).isZero();
    // the attack: the database as the older dump had it (records and log alike)
    jdbi()
        .useHandle(h -> {
          h.execute("delete from audit_record where seq > ?", auditAtOlder);
          h.execute("delete from policy_revision where workload = 'old' and seq > 2");
        });
    truncateLog(olderSize);
    CliRun alone = verify();
    assertThat(alone.exitCode())
        .as("a consistent older dump passes without a witness: " + alone.out())
        .isZero();
    CliRun withOlder = verify("--trusted-checkpoint", older.toString());
    assertThat(withOlder.exitCode()).as(withOlder.out()).isZero();
    CliRun withNewer =
        verify("--trusted-checkpoint", older.toString(), "--trusted-checkpoint", newer.toString());
    assertThat(withNewer.exitCode()).isEqualTo(1);
    assertThat(withNewer.out())
        .contains("BROKEN trusted_checkpoint " + newer + ": rollback: the log has " + olderSize)
        .contains("1 finding(s)");
  }

  @Test
  void rewritingALeaf_isReportedAsAMismatch_andAsAForkAgainstAWitnessedCheckpoint()
      throws IOException {
    workloadWithAcceptedVersion("forked");
    Path checkpoint = witnessed("checkpoint");
    long size = treeSize(Files.readString(checkpoint));
    LogStore store = new LogStore(jdbi());
    // 1. a leaf body edited in place: the stored hashes no longer match it
    LogStore.LoggedLeaf first = store.leaf(0).orElseThrow();
    assertThat(first.kind()).isEqualTo(LogEntry.Kind.KEY_EVENT);
    String forged = first.leafText().replace("\"registered\"", "\"retired\"");
    jdbi().useHandle(h -> h.execute("update tlog_leaf set body = ? where leaf_index = 0", forged));
    CliRun edited = verify();
    assertThat(edited.exitCode()).isEqualTo(1);
    assertThat(edited.out())
        .contains("BROKEN tlog tree: leaf 0: the stored leaf hash is not the hash of its body");
    // 2. the whole history rebuilt around the forged leaf: internally consistent again
    List<LogEntry> history = new ArrayList<>();
    history.add(LogEntry.parse(forged));
    for (long i = 1; i < size; i++) {
      history.add(store.leaf(i).orElseThrow().entry());
    }
    truncateLog(0);
    store.append(history, Instant.now());
    CliRun alone = verify();
    assertThat(alone.exitCode())
        .as("a rebuilt history passes without a witness: " + alone.out())
        .isZero();
    CliRun withWitness = verify("--trusted-checkpoint", checkpoint.toString());
    assertThat(withWitness.exitCode()).isEqualTo(1);
    assertThat(withWitness.out())
        .contains(
            "BROKEN trusted_checkpoint " + checkpoint + ": fork: the log's root at size " + size);
    // the same with the key given out of band
    CliRun withKey =
        verify(
            "--trusted-checkpoint",
            checkpoint.toString(),
            "--log-key",
            server.server().transparencyLog().verifierKey().encoded());
    assertThat(withKey.exitCode()).isEqualTo(1);
    assertThat(withKey.out()).contains(": fork:");
  }
}
