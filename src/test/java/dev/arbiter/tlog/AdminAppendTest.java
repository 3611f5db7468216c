// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records appended in the caller's transaction ({@link LogStore#append(dev.arbiter.store.Tx, List,
 * java.time.Instant)}: policy revisions, audit records, key events) interleave with the {@link
 * TransparencyLog} writer's decision batches without gaps, and the writer's checkpoints and proofs
 * stay valid.
 */
class AdminAppendTest {
  private static final String ORIGIN = "arbiter.example/log";
  private static final Clock CLOCK = Clock.fixed(LogStoreTest.T0, ZoneOffset.UTC);

  @TempDir Path dir;
  private Database database;
  private LogStore store;
  private TransparencyLog log;

  @BeforeEach
  void open() throws Exception {
    database = TestDatabases.fresh();
    store = new LogStore(database.jdbi());
    CheckpointSigner signer = CheckpointSigner.loadOrCreate(dir.resolve("keys"), ORIGIN);
    log =
        TransparencyLog.create(
            store,
            signer,
            TransparencyLog.Config.defaults(dir.resolve("checkpoint"))
                .withBatchDelay(Duration.ofMillis(5))
                .withCheckpointInterval(Duration.ofMillis(20)),
            CLOCK);
    assertThat(log.verifyAgainstLocalCheckpoint().mayStart()).isTrue();
    log.start();
  }

  @AfterEach
  void close() {
    log.close();
    database.close();
  }

  private static LogEntry decision(int thread, int n) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("thread", thread);
    body.put("n", n);
    return LogEntry.of(LogEntry.Kind.DECISION, LogStoreTest.T0, body);
  }

  @Test
  void rollbackOfTheCallersTransaction_leavesNoLeaf() {
    long before = store.head().size();
    try {
      database.useTransaction(tx -> {
        LogStore.append(
            tx,
            List.of(LogEntry.auditRecord(1, "00".repeat(32), LogStoreTest.T0)),
            LogStoreTest.T0);
        throw new IllegalStateException("the caller's change fails");
      });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    assertThat(store.head().size()).isEqualTo(before);
    assertThat(store.audit(Optional.empty()).intact()).isTrue();
  }

  @Test
  void leavesAreAppendedAtCommit_soTheHeadLockCannotDeadlockWithTheCallersOtherLocks()
      throws Exception {
    // T1 logs a record, then takes another lock; T2 holds that lock, then logs a record. With the
    // head lock taken where append is called, each would wait for the other.
    CountDownLatch logged = new CountDownLatch(1);
    CountDownLatch locked = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<?> first =
        pool.submit(() -> {
          database.useTransaction(tx -> {
            LogStore.append(
                tx, List.of(LogEntry.auditRecord(1, "aa", LogStoreTest.T0)), LogStoreTest.T0);
            logged.countDown();
            await(locked);
            tx.handle().execute("select pg_advisory_xact_lock(4242)");
          });
          return null;
        });
    Future<?> second =
        pool.submit(() -> {
          database.useTransaction(tx -> {
            tx.handle().execute("select pg_advisory_xact_lock(4242)");
            locked.countDown();
            await(logged);
            LogStore.append(
                tx, List.of(LogEntry.auditRecord(2, "bb", LogStoreTest.T0)), LogStoreTest.T0);
          });
          return null;
        });
    first.get(30, TimeUnit.SECONDS);
    second.get(30, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(store.head().size()).isEqualTo(2);
    assertThat(store.audit(Optional.empty()).intact()).isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void concurrentDecisionBatchesAndAdminTransactions_keepIndexesDenseAndProofsValid()
      throws Exception {
    int decisionThreads = 2;
    int decisionsEach = 300;
    int adminThreads = 2;
    int adminEach = 25;
    ExecutorService pool = Executors.newFixedThreadPool(decisionThreads + adminThreads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < decisionThreads; t++) {
      int thread = t;
      futures.add(
          pool.submit(() -> {
            go.await();
            for (int n = 0; n < decisionsEach; n++) {
              while (log.append(decision(thread, n)) != TransparencyLog.AppendResult.ACCEPTED) {
                Thread.sleep(1);
              }
            }
            return null;
          }));
    }
    for (int t = 0; t < adminThreads; t++) {
      int thread = t;
      futures.add(
          pool.submit(() -> {
            go.await();
            for (int n = 0; n < adminEach; n++) {
              long seq = thread * 1000L + n;
              database.useTransaction(tx -> {
                LogStore.append(
                    tx,
                    List.of(LogEntry.policyRevision("w" + thread, seq, "aa", LogStoreTest.T0)),
                    LogStoreTest.T0);
                sleep(1);
                // a second leaf in the same transaction: both are appended together at commit
                LogStore.append(
                    tx, List.of(LogEntry.auditRecord(seq, "bb", LogStoreTest.T0)), LogStoreTest.T0);
              });
            }
            return null;
          }));
    }
    go.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    log.flush();
    long total = (long) decisionThreads * decisionsEach + 2L * adminThreads * adminEach;
    assertThat(store.head().size()).isEqualTo(total);
    LogStore.TreeAudit audit = store.audit(Optional.of(log.verifierKey()));
    assertThat(audit.findings()).isEmpty();
    assertThat(audit.leavesChecked()).isEqualTo(total);
    assertThat(audit.checkpointsChecked()).isPositive();
    // each admin transaction's two leaves are adjacent: nothing interleaved inside it
    List<LogStore.LoggedLeaf> revisions =
        database.inTransaction(tx -> LogStore.leavesOfKind(tx, LogEntry.Kind.POLICY_REVISION));
    assertThat(revisions).hasSize(adminThreads * adminEach);
    for (LogStore.LoggedLeaf revision : revisions) {
      LogStore.LoggedLeaf next = store.leaf(revision.index() + 1).orElseThrow();
      assertThat(next.kind()).isEqualTo(LogEntry.Kind.AUDIT_RECORD);
      assertThat(next.entry().body().path("seq").asLong())
          .isEqualTo(revision.entry().body().path("seq").asLong());
    }
    // proofs for an admin leaf verify against the writer's latest signed checkpoint
    LogStore.LoggedLeaf last = revisions.getLast();
    InclusionProof proof = log.inclusionProof(last.index());
    assertThat(
            ProofVerifier.verifyInclusion(
                log.verifierKey().encoded(), proof.checkpoint(), last.leafText(), proof))
        .matches(Verification::ok);
    // the writer signs a checkpoint covering admin-only growth, without any decision
    long size = store.head().size();
    database.useTransaction(tx ->
        LogStore.append(
            tx,
            List.of(LogEntry.keyEvent("retired", "k1", null, LogStoreTest.T0)),
            LogStoreTest.T0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.lastCheckpointSize() <= size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(log.lastCheckpointSize()).isEqualTo(size + 1);
    assertThat(store.audit(Optional.of(log.verifierKey())).findings()).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
