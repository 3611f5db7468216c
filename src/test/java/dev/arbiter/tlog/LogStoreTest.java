// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log's tables on a real PostgreSQL. */
class LogStoreTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private Database database;
  private LogStore store;

  @BeforeEach
  void open() {
    database = TestDatabases.fresh();
    store = new LogStore(database.jdbi());
  }

  @AfterEach
  void close() {
    database.close();
  }

  static LogEntry entry(String tag, int n) {
    return LogEntry.of(
        LogEntry.Kind.AUDIT_RECORD,
        T0.plusSeconds(n),
        Json.mapper().createObjectNode().put("tag", tag).put("n", n));
  }

  /** An affirming tdx decision of {@code workload} with evidence digest {@code ab...ab}. */
  static LogEntry decision(Instant time, String workload, String instance, String jti) {
    return LogEntry.decision(
        new Decision(
            time,
            workload,
            instance,
            "tdx",
            "ab".repeat(32),
            null,
            "rev-1",
            "affirming",
            List.of(),
            jti));
  }

  static List<LogEntry> entries(String tag, int from, int count) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(entry(tag, i));
    }
    return out;
  }

  @Test
  void emptyLog_headIsEmptyRoot() {
    assertThat(store.head()).isEqualTo(new LogStore.TreeHead(0, Merkle.emptyRoot()));
    assertThat(store.rootAt(0)).isEqualTo(Merkle.emptyRoot());
    assertThat(store.latestCheckpoint()).isEmpty();
    assertThat(store.audit(Optional.empty()).intact()).isTrue();
  }

  @Test
  void append_batches_denseIndexesAndRootEqualInMemoryTree() {
    List<LogEntry> all = new ArrayList<>();
    int n = 0;
    for (int size : new int[] {1, 7, 100, 1, 19}) {
      List<LogEntry> batch = entries("b", n, size);
      LogStore.Appended appended = store.append(batch, T0);
      assertThat(appended.firstIndex()).isEqualTo(n);
      assertThat(appended.count()).isEqualTo(size);
      n += size;
      all.addAll(batch);
      assertThat(appended.head()).isEqualTo(new LogStore.TreeHead(n, Merkle.root(hashes(all))));
    }
    assertThat(store.head().size()).isEqualTo(128);
    for (int i = 0; i < all.size(); i++) {
      LogStore.LoggedLeaf leaf = store.leaf(i).orElseThrow();
      assertThat(leaf.index()).isEqualTo(i);
      assertThat(leaf.leafText()).isEqualTo(all.get(i).leafText());
      assertThat(leaf.leafHash()).isEqualTo(all.get(i).leafHash());
      assertThat(leaf.kind()).isEqualTo(LogEntry.Kind.AUDIT_RECORD);
      assertThat(leaf.entry()).isEqualTo(all.get(i));
      assertThat(leaf.createdAt()).isEqualTo(T0);
    }
    assertThat(store.leaf(128)).isEmpty();
    // 128 leaves: 8 + 4 + 2 + 1 = 15 perfect subtrees of 16 leaves or more (smaller ones are
    // hashed from the leaves)
    long subtrees =
        database
            .jdbi()
            .withHandle(
                h -> h.createQuery("select count(*) from tlog_subtree").mapTo(Long.class).one());
    assertThat(subtrees).isEqualTo(15L);
    assertThat(store.audit(Optional.empty()).findings()).isEmpty();
  }

  @Test
  void append_twoReplicasConcurrently_indexesDenseAndEveryEntryOnce() throws Exception {
    try (Database other = Database.open(new Database.Location.External(database.jdbcUrl()))) {
      List<LogStore> replicas = List.of(store, new LogStore(other.jdbi()));
      int threadsPerReplica = 2;
      int batches = 25;
      int batchSize = 4;
      ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * threadsPerReplica);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Long>>> firsts = new ArrayList<>();
      for (int r = 0; r < replicas.size(); r++) {
        for (int t = 0; t < threadsPerReplica; t++) {
          LogStore replica = replicas.get(r);
          String tag = "r" + r + "t" + t;
          firsts.add(
              pool.submit(() -> {
                go.await();
                List<Long> starts = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                  starts.add(
                      replica.append(entries(tag, b * batchSize, batchSize), T0).firstIndex());
                }
                return starts;
              }));
        }
      }
      go.countDown();
      Set<Long> starts = new HashSet<>();
      for (Future<List<Long>> f : firsts) {
        starts.addAll(f.get());
      }
      pool.shutdown();
      int total = replicas.size() * threadsPerReplica * batches * batchSize;
      assertThat(starts)
          .hasSize(replicas.size() * threadsPerReplica * batches)
          .allMatch(s -> s % batchSize == 0);
      assertThat(store.head().size()).isEqualTo(total);
      List<String> texts =
          database
              .jdbi()
              .withHandle(h ->
                  h.createQuery("select body from tlog_leaf order by leaf_index")
                      .mapTo(String.class)
                      .list());
      List<Long> indexes =
          database
              .jdbi()
              .withHandle(h ->
                  h.createQuery("select leaf_index from tlog_leaf order by leaf_index")
                      .mapTo(Long.class)
                      .list());
      assertThat(indexes).hasSize(total);
      for (int i = 0; i < total; i++) {
        assertThat(indexes.get(i)).isEqualTo(i);
      }
      assertThat(new HashSet<>(texts)).hasSize(total);
      List<byte[]> leafHashes = texts.stream().map(t -> LogEntry.parse(t).leafHash()).toList();
      assertThat(store.head().rootHash()).isEqualTo(Merkle.root(leafHashes));
      assertThat(store.audit(Optional.empty()).findings()).isEmpty();
    }
  }

  @Test
  void audit_whileAWriterAppends_seesOneSnapshotAndNoFindings() throws Exception {
    // replays the CI failure "1 leaves beyond the head size 6": the audit read the head, then the
    // writer committed, then the audit counted rows beyond that head
    store.append(entries("seed", 0, 5), T0);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<?> appending =
          writer.submit(() -> {
            started.countDown();
            for (int i = 0; i < 200; i++) {
              store.append(entries("w", 5 + i * 3, 3), T0);
            }
            return null;
          });
      started.await();
      int audits = 0;
      while (!appending.isDone() || audits == 0) {
        assertThat(store.audit(Optional.empty(), 4).findings()).as("audit %d", audits).isEmpty();
        audits++;
      }
      appending.get();
    } finally {
      writer.shutdownNow();
    }
    assertThat(store.audit(Optional.empty()).leavesChecked()).isEqualTo(605);
  }

  @Test
  void proofs_fromStore_equalProofsComputedInMemory() {
    List<LogEntry> all = new ArrayList<>();
    int n = 0;
    for (int size = 1; n < 70; size++) {
      List<LogEntry> batch = entries("p", n, Math.min(size, 70 - n));
      store.append(batch, T0);
      all.addAll(batch);
      n += batch.size();
    }
    List<byte[]> hashes = hashes(all);
    List<byte[]> roots = new ArrayList<>();
    for (int size = 0; size <= 70; size++) {
      roots.add(store.rootAt(size));
      assertThat(roots.get(size))
          .as("root %d", size)
          .isEqualTo(Merkle.root(hashes.subList(0, size)));
    }
    for (int size = 1; size <= 70; size++) {
      Set<Integer> indexes = new HashSet<>(List.of(0, size / 3, size / 2, size - 1));
      if (size <= 17 || size == 64 || size == 70) {
        for (int i = 0; i < size; i++) {
          indexes.add(i);
        }
      }
      for (int index : indexes) {
        assertThat(store.inclusionProof(index, size))
            .as("inclusion %d in %d", index, size)
            .usingElementComparator(Arrays::compare)
            .isEqualTo(Merkle.inclusionProof(hashes, index, size));
      }
    }
    for (int newSize : new int[] {1, 2, 3, 8, 13, 32, 33, 64, 70}) {
      for (int oldSize = 0; oldSize <= newSize; oldSize++) {
        List<byte[]> proof = store.consistencyProof(oldSize, newSize);
        assertThat(proof)
            .as("consistency %d -> %d", oldSize, newSize)
            .usingElementComparator(Arrays::compare)
            .isEqualTo(Merkle.consistencyProof(hashes, oldSize, newSize));
        assertThat(
                Merkle.verifyConsistency(
                    oldSize, newSize, roots.get(oldSize), roots.get(newSize), proof))
            .isTrue();
      }
    }
  }

  @Test
  void proofs_beyondTree_areRefused() {
    store.append(entries("x", 0, 5), T0);
    assertThatThrownBy(() -> store.rootAt(6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.inclusionProof(5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.inclusionProof(0, 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.consistencyProof(2, 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.consistencyProof(4, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findByJti_decisions_firstMatchingLeaf() {
    store.append(entries("a", 0, 3), T0);
    store.append(List.of(decision(T0, "web", "i-1", "jti-42"), entry("a", 99)), T0);
    LogStore.LoggedLeaf found = store.findByJti("jti-42").orElseThrow();
    assertThat(found.index()).isEqualTo(3);
    assertThat(found.kind()).isEqualTo(LogEntry.Kind.DECISION);
    assertThat(found.entry().body().path("evidence_sha256").asText()).isEqualTo("ab".repeat(32));
    assertThat(store.findByJti("jti-43")).isEmpty();
  }

  @Test
  void saveCheckpoint_onePerSize_conflictingRootRefused() {
    store.append(entries("c", 0, 4), T0);
    Checkpoint checkpoint = new Checkpoint("log.example/test", 4, store.rootAt(4));
    store.saveCheckpoint(checkpoint, "note 1", T0);
    store.saveCheckpoint(checkpoint, "note 2", T0.plusSeconds(1));
    assertThat(store.latestCheckpoint().orElseThrow().note()).isEqualTo("note 1");
    assertThat(store.checkpointAt(4).orElseThrow().rootHash()).isEqualTo(checkpoint.rootHash());
    assertThat(store.checkpointAt(3)).isEmpty();
    Checkpoint forged = new Checkpoint("log.example/test", 4, Merkle.emptyRoot());
    assertThatThrownBy(() -> store.saveCheckpoint(forged, "note 3", T0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void audit_tamperedRows_reportsEachInconsistency() {
    store.append(entries("t", 0, 20), T0);
    store.saveCheckpoint(new Checkpoint("log.example/test", 20, store.rootAt(20)), "n", T0);
    assertThat(store.audit(Optional.empty()).intact()).isTrue();

    database
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update tlog_leaf set body = replace(body, '\"n\":5', '\"n\":6') where leaf_index ="
                    + " 5"));
    assertThat(store.audit(Optional.empty()).findings())
        .anyMatch(f -> f.contains("leaf 5: the stored leaf hash is not the hash of its body"))
        .anyMatch(f -> f.contains("subtree 4/0 (leaves 0..15)"))
        .anyMatch(f -> f.contains("head root"))
        .anyMatch(f -> f.contains("checkpoint of size 20"));

    database.jdbi().useHandle(h -> h.execute("delete from tlog_leaf where leaf_index = 11"));
    assertThat(store.audit(Optional.empty()).findings())
        .anyMatch(f -> f.contains("leaf 11 is missing"));
  }

  @Test
  void workloadColumn_editedBySql_isReported_andCannotListAnotherWorkloadsDecisions() {
    List<LogEntry> decisions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      decisions.add(decision(T0.plusSeconds(i), i < 2 ? "web" : "db", "i-" + i, "jti-" + i));
    }
    store.append(decisions, T0);
    LogStore.DecisionQuery web =
        new LogStore.DecisionQuery(
            Optional.of("web"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertThat(store.decisions(web, 10))
        .extracting(LogStore.LoggedLeaf::index)
        .containsExactly(1L, 0L);
    assertThat(store.audit(Optional.empty()).findings()).isEmpty();

    // an attacker moves a "db" decision into "web"'s search and hides one of "web"'s
    database
        .jdbi()
        .useHandle(h -> {
          h.execute("update tlog_leaf set workload = 'web' where leaf_index = 2");
          h.execute("update tlog_leaf set workload = 'other' where leaf_index = 0");
        });
    assertThat(store.decisions(web, 10)).extracting(LogStore.LoggedLeaf::index).containsExactly(1L);
    assertThat(store.audit(Optional.empty()).findings())
        .contains(
            "leaf 0: its workload column differs from its body (edited outside the log writer)",
            "leaf 2: its workload column differs from its body (edited outside the log writer)");
  }

  @Test
  void audit_inChunks_checksEverySubtreeOnce() {
    store.append(entries("k", 0, 100), T0);
    for (int chunk : new int[] {1, 3, 7, 16, 50, 64, 100}) {
      assertThat(store.audit(Optional.empty(), chunk).findings()).as("chunk %d", chunk).isEmpty();
      assertThat(store.audit(Optional.empty(), chunk).leavesChecked()).isEqualTo(100);
    }
    database
        .jdbi()
        .useHandle(h ->
            h.execute("update tlog_subtree set hash = sha256(hash) where level = 4 and idx = 3"));
    for (int chunk : new int[] {1, 7, 64}) {
      assertThat(store.audit(Optional.empty(), chunk).findings())
          .as("chunk %d", chunk)
          .containsExactly("subtree 4/3 (leaves 48..63) does not match the leaves");
    }
    database
        .jdbi()
        .useHandle(h -> h.execute("delete from tlog_subtree where level = 5 and idx = 1"));
    assertThat(store.audit(Optional.empty(), 5).findings()).contains("subtree 5/1 is missing");
  }

  @Test
  void subtreesBelowSixteenLeaves_areNotStored_butRootsAndProofsMatchTheLeaves() {
    List<LogEntry> all = entries("s", 0, 77);
    store.append(all.subList(0, 40), T0);
    store.append(all.subList(40, 77), T0);
    List<byte[]> hashes = all.stream().map(LogEntry::leafHash).toList();
    List<Long> levels =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery("select level from tlog_subtree order by level, idx")
                    .mapTo(Long.class)
                    .list());
    // 77 leaves: 4/0..4/3, 5/0, 5/1, 6/0
    assertThat(levels).containsExactly(4L, 4L, 4L, 4L, 5L, 5L, 6L);
    for (long size = 1; size <= 77; size++) {
      assertThat(store.rootAt(size))
          .as("root %d", size)
          .isEqualTo(Merkle.root(hashes.subList(0, (int) size)));
      for (long index : new long[] {0, size / 2, size - 1}) {
        assertThat(store.inclusionProof(index, size))
            .as("inclusion %d in %d", index, size)
            .usingElementComparator(Arrays::compare)
            .isEqualTo(Merkle.inclusionProof(hashes, index, size));
      }
      assertThat(store.consistencyProof(size / 3, size))
          .as("consistency %d..%d", size / 3, size)
          .usingElementComparator(Arrays::compare)
          .isEqualTo(Merkle.consistencyProof(hashes, size / 3, size));
    }
    // a lower level may not be stored at all (the schema says so)
    assertThatThrownBy(() ->
            database
                .jdbi()
                .useHandle(h ->
                    h.execute(
                        "insert into tlog_subtree (level, idx, hash) values (3, 0,"
                            + " sha256('x'))")))
        .hasMessageContaining("tlog_subtree_level_check");
  }

  @Test
  void append_storesEveryColumn_timesRoundedToTheMicrosecond() {
    Instant now = Instant.parse("2026-03-01T12:00:00.123456789Z");
    Decision decision =
        new Decision(
            T0,
            "w\u00e9b \"\\\u0001",
            "i-1",
            "tdx",
            "cd".repeat(32),
            "v1",
            "rev-1",
            "affirming",
            List.of("a\\nb", "\u4e2d\ud83d\ude00"),
            "jti-\u00e9");
    LogEntry audit = entry("x", 1);
    store.append(List.of(LogEntry.decision(decision), audit), now);
    LogStore.LoggedLeaf leaf = store.leaf(0).orElseThrow();
    assertThat(leaf.leafText()).isEqualTo(LogEntry.decision(decision).leafText());
    assertThat(leaf.leafHash()).isEqualTo(LogEntry.decision(decision).leafHash());
    assertThat(leaf.createdAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123457Z"));
    assertThat(store.findByJti("jti-\u00e9").orElseThrow().index()).isZero();
    assertThat(store.leaf(1).orElseThrow().entry()).isEqualTo(audit);
    assertThat(store.leaf(1).orElseThrow().kind()).isEqualTo(LogEntry.Kind.AUDIT_RECORD);
    List<String> columns =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select kind, jti, workload, (body::jsonb -> 'body' ->> 'workload') from"
                            + " tlog_leaf order by leaf_index")
                    .map((rs, ctx) ->
                        rs.getString(1)
                            + "|"
                            + rs.getString(2)
                            + "|"
                            + rs.getString(3)
                            + "|"
                            + rs.getString(4))
                    .list());
    assertThat(columns)
        .containsExactly(
            "decision|jti-\u00e9|w\u00e9b \"\\\u0001|w\u00e9b \"\\\u0001",
            "audit_record|null|null|null");
    store.append(List.of(entry("y", 2)), Instant.parse("2026-03-01T12:00:00.999999500Z"));
    assertThat(store.leaf(2).orElseThrow().createdAt())
        .isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
    assertThat(store.audit(Optional.empty()).findings()).isEmpty();
  }

  @Test
  void append_failingCopy_leavesNothing() {
    store.append(entries("f", 0, 5), T0);
    LogStore.TreeHead before = store.head();
    // a stray row where a new leaf goes: the COPY fails on the primary key
    database
        .jdbi()
        .useHandle(h ->
            h.execute(
                "insert into tlog_leaf (leaf_index, leaf_hash, kind, body, created_at) values (7,"
                    + " sha256('x'), 'audit_record', '{}', now())"));
    assertThatThrownBy(() -> store.append(entries("f", 5, 4), T0))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.head()).isEqualTo(before);
    long subtrees =
        database
            .jdbi()
            .withHandle(
                h -> h.createQuery("select count(*) from tlog_subtree").mapTo(Long.class).one());
    assertThat(subtrees).isZero(); // the first five leaves complete no subtree of 16
    database.jdbi().useHandle(h -> h.execute("delete from tlog_leaf where leaf_index = 7"));
    assertThat(store.append(entries("f", 5, 4), T0).firstIndex()).isEqualTo(5);
    assertThat(store.audit(Optional.empty()).findings()).isEmpty();
  }

  static List<byte[]> hashes(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::leafHash).toList();
  }
}
