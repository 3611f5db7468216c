// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.store.Database;
import dev.arbiter.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service over a real PostgreSQL: queueing, checkpoints, restarts and the local checkpoint
 * check.
 */
class TransparencyLogTest {
  private static final String ORIGIN = "arbiter.example/log";
  private static final Clock CLOCK = Clock.fixed(LogStoreTest.T0, ZoneOffset.UTC);

  @TempDir Path dir;
  private Database database;
  private LogStore store;
  private CheckpointSigner signer;
  private Path checkpointFile;
  private final List<TransparencyLog> logs = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    database = TestDatabases.fresh();
    store = new LogStore(database.jdbi());
    signer = CheckpointSigner.loadOrCreate(dir.resolve("keys"), ORIGIN);
    checkpointFile = dir.resolve("state").resolve("checkpoint");
  }

  @AfterEach
  void close() {
    logs.forEach(TransparencyLog::close);
    database.close();
  }

  private TransparencyLog log(Function<TransparencyLog.Config, TransparencyLog.Config> customize) {
    TransparencyLog.Config config =
        customize.apply(
            TransparencyLog.Config.defaults(checkpointFile).withBatchDelay(Duration.ofMillis(20)));
    TransparencyLog log = TransparencyLog.create(store, signer, config, CLOCK);
    logs.add(log);
    return log;
  }

  private TransparencyLog started() {
    TransparencyLog log = log(Function.identity());
    assertThat(log.verifyAgainstLocalCheckpoint().mayStart()).isTrue();
    log.start();
    return log;
  }

  private static void appendAll(TransparencyLog log, List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      assertThat(log.append(entry)).isEqualTo(TransparencyLog.AppendResult.ACCEPTED);
    }
  }

  private Checkpoint localCheckpoint() throws IOException {
    Verification opened = Checkpoints.open(Files.readString(checkpointFile), signer.verifierKey());
    assertThat(opened).isInstanceOf(Verification.Verified.class);
    return ((Verification.Verified) opened).checkpoint();
  }

  @Test
  void append_queueFull_isRefused_thenWrittenOnceStarted() {
    TransparencyLog log = log(c -> c.withQueueCapacity(3));
    appendAll(log, LogStoreTest.entries("q", 0, 3));
    assertThat(log.append(LogStoreTest.entry("q", 3)))
        .isEqualTo(TransparencyLog.AppendResult.REFUSED_QUEUE_FULL);
    assertThat(log.queueDepth()).isEqualTo(3);
    assertThat(log.refusedCount()).isEqualTo(1);
    assertThat(store.head().size()).isZero();
    log.start();
    log.flush();
    assertThat(store.head().size()).isEqualTo(3);
    assertThat(log.metrics())
        .isEqualTo(
            new TransparencyLog.Metrics(
                0, 3, 3, 1, 0, 3, java.util.Optional.of(LogStoreTest.T0), false));
  }

  @Test
  void append_databaseDown_stillAcceptedWithoutSql_flushReportsTheFailure() {
    TransparencyLog log = log(c -> c.withCloseTimeout(Duration.ofSeconds(1)));
    log.start();
    database.close();
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(log.append(LogStoreTest.entry("down", i)).accepted()).isTrue();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    assertThatThrownBy(log::flush).isInstanceOf(StoreException.class);
    assertThat(log.metrics().writeFailures()).isPositive();
    assertThat(log.appendedCount()).isZero();
  }

  @Test
  void flush_signsAndStoresCheckpoint_andWritesLocalFileOwnerOnly() throws IOException {
    TransparencyLog log = started();
    List<LogEntry> entries = LogStoreTest.entries("f", 0, 5);
    appendAll(log, entries);
    log.flush();
    LogStore.TreeHead head = store.head();
    assertThat(head).isEqualTo(new LogStore.TreeHead(5, Merkle.root(LogStoreTest.hashes(entries))));
    String note = log.latestCheckpointNote().orElseThrow();
    assertThat(Files.readString(checkpointFile)).isEqualTo(note);
    assertThat(localCheckpoint()).isEqualTo(new Checkpoint(ORIGIN, 5, head.rootHash()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpointFile)))
        .isEqualTo("rw-------");
    Path keyFile = dir.resolve("keys").resolve(CheckpointSigner.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(CheckpointSigner.loadOrCreate(dir.resolve("keys"), ORIGIN).verifierKey())
        .isEqualTo(signer.verifierKey());
    assertThat(signer.toString())
        .isEqualTo("CheckpointSigner[" + signer.verifierKey().encoded() + "]");
    assertThat(log.lastCheckpointSize()).isEqualTo(5);
    assertThat(log.lastCheckpointTime()).contains(LogStoreTest.T0);
    assertThat(log.lastCheckpointNote()).contains(note);
    // nothing new: no new checkpoint
    log.flush();
    assertThat(checkpointRows()).isEqualTo(1);
    try (Stream<Path> files = Files.list(checkpointFile.getParent())) {
      assertThat(files).containsExactly(checkpointFile);
    }
  }

  @Test
  void checkpoint_withoutFlush_isSignedWithinTheInterval() throws Exception {
    TransparencyLog log = log(c -> c.withCheckpointInterval(Duration.ofMillis(200)));
    log.start();
    log.append(LogStoreTest.entry("i", 0));
    awaitCheckpoint(log, 1);
    log.append(LogStoreTest.entry("i", 1));
    log.append(LogStoreTest.entry("i", 2));
    awaitCheckpoint(log, 3);
    assertThat(localCheckpoint().size()).isEqualTo(3);
  }

  private static void awaitCheckpoint(TransparencyLog log, long size) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (log.lastCheckpointSize() < size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(log.lastCheckpointSize()).isEqualTo(size);
  }

  @Test
  void close_drainsTheQueue_thenRefuses() throws IOException {
    TransparencyLog log = log(c -> c.withBatchDelay(Duration.ofSeconds(30)));
    log.start();
    appendAll(log, LogStoreTest.entries("c", 0, 50));
    log.close();
    assertThat(store.head().size()).isEqualTo(50);
    assertThat(localCheckpoint().size()).isEqualTo(50);
    assertThat(log.append(LogStoreTest.entry("c", 50)))
        .isEqualTo(TransparencyLog.AppendResult.REFUSED_CLOSED);
  }

  @Test
  void restart_newServiceOnSameDatabase_continuesTheTree() throws IOException {
    TransparencyLog first = started();
    appendAll(first, LogStoreTest.entries("r", 0, 10));
    first.close();
    String at10 = Files.readString(checkpointFile);

    TransparencyLog second = log(Function.identity());
    assertThat(second.lastCheckpointSize()).isEqualTo(10);
    assertThat(second.verifyAgainstLocalCheckpoint())
        .isEqualTo(new LocalCheckpointCheck.Consistent(10, 10));
    second.start();
    appendAll(second, LogStoreTest.entries("r", 10, 5));
    second.flush();
    String at15 = Files.readString(checkpointFile);
    assertThat(store.leaf(14).orElseThrow().entry()).isEqualTo(LogStoreTest.entry("r", 14));

    ProofVerifier verifier = ProofVerifier.forKey(signer.verifierKey().encoded());
    assertThat(verifier.verifyConsistency(at10, at15, second.consistencyProof(10, 15)).ok())
        .isTrue();
    assertThat(second.verifyAgainstLocalCheckpoint())
        .isEqualTo(new LocalCheckpointCheck.Consistent(15, 15));
    assertThat(second.audit().findings()).isEmpty();
    assertThat(second.audit().checkpointsChecked()).isEqualTo(2);
  }

  @Test
  void verifyAgainstLocalCheckpoint_truncatedDatabase_isBehind() throws IOException {
    TransparencyLog log = started();
    List<LogEntry> entries = LogStoreTest.entries("t", 0, 10);
    appendAll(log, entries);
    log.close();
    // the database loses its last four leaves (say, a restored backup)
    byte[] rootAt6 = Merkle.root(LogStoreTest.hashes(entries.subList(0, 6)));
    database
        .jdbi()
        .useTransaction(h -> {
          h.execute("delete from tlog_leaf where leaf_index >= 6");
          h.execute("delete from tlog_subtree where (idx + 1) * (1::bigint << level) > 6");
          h.execute("delete from tlog_checkpoint where tree_size > 6");
          h.createUpdate("update tlog_head set tree_size = 6, root_hash = :r")
              .bind("r", rootAt6)
              .execute();
        });
    assertThat(store.audit(java.util.Optional.empty()).intact()).isTrue();
    TransparencyLog restarted = log(Function.identity());
    LocalCheckpointCheck check = restarted.verifyAgainstLocalCheckpoint();
    assertThat(check).isEqualTo(new LocalCheckpointCheck.Behind(10, 6));
    assertThat(check.mayStart()).isFalse();
  }

  @Test
  void verifyAgainstLocalCheckpoint_rewrittenLeaf_isForked_evenAfterTheTreeGrew()
      throws IOException {
    TransparencyLog log = started();
    appendAll(log, LogStoreTest.entries("w", 0, 10));
    log.close();
    byte[] localRoot = localCheckpoint().rootHash();
    rewriteHistory(3, LogStoreTest.entry("forged", 3));
    store.append(LogStoreTest.entries("w", 10, 3), LogStoreTest.T0);

    LocalCheckpointCheck check = log(Function.identity()).verifyAgainstLocalCheckpoint();
    assertThat(check).isInstanceOf(LocalCheckpointCheck.Forked.class);
    LocalCheckpointCheck.Forked forked = (LocalCheckpointCheck.Forked) check;
    assertThat(forked.localSize()).isEqualTo(10);
    assertThat(forked.localRoot()).isEqualTo(B64.encode(localRoot));
    assertThat(forked.databaseRoot())
        .isEqualTo(B64.encode(store.rootAt(10)))
        .isNotEqualTo(forked.localRoot());
    assertThat(check.mayStart()).isFalse();
    // the stored checkpoints covering leaf 3 no longer match the rewritten leaves either (the
    // writer may have signed one while the ten were still arriving: size 10 and maybe a smaller
    // one, never one below 4)
    assertThat(store.audit(java.util.Optional.of(signer.verifierKey())).findings())
        .contains("checkpoint of size 10: its root does not match the leaves")
        .allSatisfy(finding -> {
          assertThat(finding)
              .matches("checkpoint of size \\d+: its root does not match the leaves");
          assertThat(Long.parseLong(finding.replaceAll("\\D", ""))).isBetween(4L, 10L);
        });
  }

  @Test
  void verifyAgainstLocalCheckpoint_leafBodyAlteredWithoutRehashing_isFoundByTheAudit()
      throws IOException {
    TransparencyLog log = started();
    appendAll(log, LogStoreTest.entries("a", 0, 10));
    log.flush();
    database
        .jdbi()
        .useHandle(h ->
            h.execute("update tlog_leaf set body = replace(body, 'a', 'b') where leaf_index = 7"));
    assertThat(log.audit().findings())
        .contains("leaf 7: the stored leaf hash is not the hash of its body");
  }

  @Test
  void verifyAgainstLocalCheckpoint_missingOrForeignFile_isReported() throws IOException {
    TransparencyLog log = log(Function.identity());
    assertThat(log.verifyAgainstLocalCheckpoint())
        .isEqualTo(new LocalCheckpointCheck.NoLocalCheckpoint(0));

    CheckpointSigner stranger =
        new CheckpointSigner(ORIGIN, dev.arbiter.crypto.Ed25519Key.generate());
    Files.createDirectories(checkpointFile.getParent());
    Files.writeString(checkpointFile, stranger.sign(new Checkpoint(ORIGIN, 0, Merkle.emptyRoot())));
    LocalCheckpointCheck foreign = log.verifyAgainstLocalCheckpoint();
    assertThat(foreign).isInstanceOf(LocalCheckpointCheck.Unverifiable.class);
    assertThat(((LocalCheckpointCheck.Unverifiable) foreign).detail()).contains("unknown-key");
    assertThat(foreign.mayStart()).isFalse();

    Files.writeString(checkpointFile, "garbage");
    assertThat(log.verifyAgainstLocalCheckpoint())
        .isInstanceOf(LocalCheckpointCheck.Unverifiable.class);
  }

  @Test
  void proofs_decisionByJti_verifyOfflineWithThePinnedKey() throws IOException {
    TransparencyLog log = started();
    for (int i = 0; i < 7; i++) {
      log.append(LogStoreTest.entry("p", i));
      log.append(
          LogEntry.decision(
              new Decision(
                  LogStoreTest.T0,
                  "web",
                  "i-" + i,
                  "tdx",
                  String.format("%064x", i),
                  i % 2 == 0 ? "v1" : null,
                  "rev",
                  "affirming",
                  List.of("ok"),
                  "ear-" + i)));
    }
    log.flush();
    String pinned = signer.verifierKey().encoded();

    LogStore.LoggedLeaf decision = log.findDecision("ear-3").orElseThrow();
    assertThat(decision.index()).isEqualTo(7);
    assertThat(decision.entry().body().path("instance_id").asText()).isEqualTo("i-3");
    InclusionProof proof = InclusionProof.fromJson(log.inclusionProof(decision.index()).toJson());
    assertThat(proof.treeSize()).isEqualTo(14);
    assertThat(proof.checkpoint()).isEqualTo(Files.readString(checkpointFile));
    assertThat(
            ProofVerifier.verifyInclusion(pinned, proof.checkpoint(), decision.leafText(), proof)
                .ok())
        .isTrue();
    assertThat(
            ProofVerifier.verifyInclusion(
                    pinned,
                    proof.checkpoint(),
                    log.findDecision("ear-4").orElseThrow().leafText(),
                    proof)
                .ok())
        .isFalse();
    assertThat(log.findDecision("ear-99")).isEmpty();

    // a size without a stored checkpoint: the proof carries none, the caller brings its own
    InclusionProof atNine = log.inclusionProof(2, 9);
    assertThat(atNine.checkpoint()).isNull();
    String nine = signer.sign(new Checkpoint(ORIGIN, 9, store.rootAt(9)));
    assertThat(
            ProofVerifier.verifyInclusion(
                    pinned, nine, log.leaf(2).orElseThrow().leafText(), atNine)
                .ok())
        .isTrue();
    assertThatThrownBy(() -> log.inclusionProof(14)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.inclusionProof(0, 15))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signing_databaseForkedWhileRunning_haltsAndFlushFails() throws IOException {
    TransparencyLog log = started();
    appendAll(log, LogStoreTest.entries("h", 0, 8));
    log.flush();
    String signed = Files.readString(checkpointFile);
    rewriteHistory(2, LogStoreTest.entry("forged", 2));
    log.append(LogStoreTest.entry("h", 8));
    assertThatThrownBy(log::flush)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not extend the last signed checkpoint");
    assertThat(log.metrics().signingHalted()).isTrue();
    assertThat(store.head().size()).isEqualTo(9);
    assertThat(store.latestCheckpoint().orElseThrow().size()).isEqualTo(8);
    assertThat(Files.readString(checkpointFile)).isEqualTo(signed);
  }

  /**
   * Rewrites leaf {@code index} and every hash above it, as a consistent forged history would be.
   */
  private void rewriteHistory(long index, LogEntry replacement) {
    database
        .jdbi()
        .useTransaction(h -> {
          h.createUpdate("update tlog_leaf set body = :b, leaf_hash = :h where leaf_index = :i")
              .bind("b", replacement.leafText())
              .bind("h", replacement.leafHash())
              .bind("i", index)
              .execute();
          List<byte[]> hashes =
              h.createQuery("select leaf_hash from tlog_leaf order by leaf_index")
                  .mapTo(byte[].class)
                  .list();
          var subtrees = Merkle.inMemory(hashes);
          List<Merkle.Subtree> stored =
              h.createQuery("select level, idx from tlog_subtree")
                  .map((rs, ctx) -> new Merkle.Subtree(rs.getInt(1), rs.getLong(2)))
                  .list();
          for (Merkle.Subtree subtree : stored) {
            h.createUpdate("update tlog_subtree set hash = :h where level = :l and idx = :i")
                .bind("h", subtrees.apply(subtree))
                .bind("l", subtree.level())
                .bind("i", subtree.index())
                .execute();
          }
          h.createUpdate("update tlog_head set root_hash = :r")
              .bind("r", Merkle.root(hashes))
              .execute();
        });
  }

  private long checkpointRows() {
    return database
        .jdbi()
        .withHandle(
            h -> h.createQuery("select count(*) from tlog_checkpoint").mapTo(Long.class).one());
  }
}
