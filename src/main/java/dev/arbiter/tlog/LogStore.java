// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.store.CopyRows;
import dev.arbiter.store.StoreException;
import dev.arbiter.store.Tx;
import dev.arbiter.tlog.Merkle.Subtree;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The transparency log's tables (migration V8): leaves, perfect-subtree hashes, the head row and
 * signed checkpoints. The only class with SQL for the log. Appends run in one transaction that
 * locks the head row, so indexes are dense with any number of appenders on any number of replicas;
 * the hash of every perfect subtree of at least {@value #STORED_FROM_LEVEL} levels (16 leaves) is
 * stored as it completes, and smaller ones are hashed from at most 8 leaf hashes when needed, so
 * roots and proofs for any tree size cost O(log n) row lookups in two round trips. Thread-safe.
 */
public final class LogStore {
  private static final String APPEND = "append to the transparency log";

  /**
   * The lowest level of perfect subtree with a stored hash (migration V14). Lower levels are hashed
   * from the leaves when a root or proof needs them (at most 2^3 leaf hashes each, read in the same
   * query as the leaves a plan names): one subtree row per 8 leaves is written instead of one per
   * leaf, which is most of the log's rows after the leaves themselves.
   */
  static final int STORED_FROM_LEVEL = 4;

  private static final int AUDIT_CHUNK = 8192;
  private static final int MAX_FINDINGS = 1000;
  // the kind column's UTF-8, by ordinal
  private static final byte[][] KIND_BYTES =
      Arrays.stream(LogEntry.Kind.values())
          .map(kind -> kind.wireName().getBytes(StandardCharsets.UTF_8))
          .toArray(byte[][]::new);

  private final Jdbi jdbi;

  public LogStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public LogStore(dev.arbiter.store.Database database) {
    this(database.jdbi());
  }

  /** The tree size and root hash of the head row. */
  public record TreeHead(long size, byte[] rootHash) {
    public TreeHead {
      rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
      return rootHash.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TreeHead h && h.size == size && Arrays.equals(h.rootHash, rootHash);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(size) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
      return "TreeHead[size=" + size + ", root=" + B64.encode(rootHash) + "]";
    }
  }

  /** The outcome of an append: the first index assigned and the head after it. */
  public record Appended(long firstIndex, int count, TreeHead head) {}

  /** A stored leaf. {@code leafText} is the exact canonical leaf JSON. */
  public record LoggedLeaf(
      long index, LogEntry.Kind kind, String leafText, byte[] leafHash, Instant createdAt) {
    public LoggedLeaf {
      leafHash = leafHash.clone();
    }

    @Override
    public byte[] leafHash() {
      return leafHash.clone();
    }

    /**
     * The entry the leaf text encodes. @throws IllegalArgumentException when it is not canonical
     */
    public LogEntry entry() {
      return LogEntry.parse(leafText);
    }
  }

  /** A stored signed checkpoint. */
  public record StoredCheckpoint(long size, byte[] rootHash, String note, Instant createdAt) {
    public StoredCheckpoint {
      rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
      return rootHash.clone();
    }
  }

  /**
   * The result of {@link #audit}: every inconsistency found (empty when intact), and per prune (the
   * seq of its {@code decisions.prune} audit record) the leaves marked as pruned by it, for the
   * caller to compare with what the signed audit record says ({@code governance.IntegrityCheck}).
   */
  public record TreeAudit(
      long treeSize,
      long leavesChecked,
      int checkpointsChecked,
      List<String> findings,
      Map<Long, PrunedLeaves> pruned) {
    public TreeAudit {
      findings = List.copyOf(findings);
      pruned = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(pruned));
    }

    public boolean intact() {
      return findings.isEmpty();
    }
  }

  // ---------------------------------------------------------------- append

  /**
   * Appends {@code entries} in order in one transaction and returns their first index and the new
   * head. Waits for concurrent appenders (the head row lock).
   */
  public Appended append(List<LogEntry> entries, Instant now) {
    if (entries.isEmpty()) {
      TreeHead head = head();
      return new Appended(head.size(), 0, head);
    }
    return jdbi.inTransaction(handle -> append(handle, entries, now));
  }

  /**
   * Appends {@code entries} in order inside the caller's transaction {@code tx} (for records that
   * must commit together with their leaves: policy revisions, audit records, key events), at the
   * end of it ({@link Tx#beforeCommit}): the head-row lock that keeps indexes dense is the last
   * lock the transaction takes and is held only while it commits. Nothing is appended when {@code
   * tx} rolls back; a failed append fails the commit.
   */
  public static void append(Tx tx, List<LogEntry> entries, Instant now) {
    if (entries.isEmpty()) {
      return;
    }
    List<LogEntry> copy = List.copyOf(entries);
    tx.beforeCommit(() -> append(tx.handle(), copy, now));
  }

  private static Appended append(Handle handle, List<LogEntry> entries, Instant now) {
    OffsetDateTime createdAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    {
      TreeHead head =
          handle
              .createQuery("select tree_size, root_hash from tlog_head where id = 1 for update")
              .map((rs, ctx) -> new TreeHead(rs.getLong(1), rs.getBytes(2)))
              .findOne()
              .orElseThrow(() -> new StoreException("transparency log head row is missing", null));
      long size = head.size();
      List<Subtree> frontierNodes = Merkle.rootPlan(size);
      Map<Subtree, byte[]> known = fetch(handle, frontierNodes);
      List<Subtree> stackNodes = new ArrayList<>(frontierNodes);
      List<byte[]> stackHashes = new ArrayList<>();
      for (Subtree node : frontierNodes) {
        stackHashes.add(known.get(node));
      }
      if (!stackHashes.isEmpty() && !Arrays.equals(Merkle.fold(stackHashes), head.rootHash())) {
        throw new StoreException(
            "transparency log is inconsistent: stored subtrees do not hash to the head root at size"
                + " "
                + size,
            null);
      }
      // binary COPY rows: no per-row statement, nothing for the server to parse
      long createdMicros = CopyRows.micros(now);
      CopyRows leaves = new CopyRows(entries.size() * 512);
      CopyRows subtrees = new CopyRows(entries.size() * 52 / 8 + 52);
      long index = size;
      for (LogEntry entry : entries) {
        byte[] leafHash = entry.leafHashShared();
        leaves
            .row(7)
            .bigint(index)
            .bytes(leafHash)
            .bytes(KIND_BYTES[entry.kind().ordinal()])
            .bytes(entry.leafDataShared());
        String jti = entry.jtiOrNull();
        if (jti == null) {
          leaves.nullValue();
        } else {
          leaves.bytes(jti.getBytes(StandardCharsets.UTF_8));
        }
        leaves.timestampMicros(createdMicros);
        String workload = entry.workloadOrNull();
        if (workload == null) {
          leaves.nullValue();
        } else {
          leaves.bytes(workload.getBytes(StandardCharsets.UTF_8));
        }
        stackNodes.add(new Subtree(0, index));
        stackHashes.add(leafHash);
        while (stackNodes.size() >= 2
            && stackNodes.get(stackNodes.size() - 1).level()
                == stackNodes.get(stackNodes.size() - 2).level()) {
          int last = stackNodes.size() - 1;
          Subtree left = stackNodes.get(last - 1);
          byte[] hash = Merkle.nodeHash(stackHashes.get(last - 1), stackHashes.get(last));
          Subtree parent = new Subtree(left.level() + 1, left.index() / 2);
          stackNodes.remove(last);
          stackHashes.remove(last);
          stackNodes.set(last - 1, parent);
          stackHashes.set(last - 1, hash);
          if (parent.level() >= STORED_FROM_LEVEL) {
            subtrees.row(3).smallint(parent.level()).bigint(parent.index()).bytes(hash);
          }
        }
        index++;
      }
      leaves.copyIn(
          handle,
          "copy tlog_leaf (leaf_index, leaf_hash, kind, body, jti, created_at, workload) from stdin"
              + " (format binary)",
          APPEND);
      if (subtrees.rows() > 0) {
        subtrees.copyIn(
            handle, "copy tlog_subtree (level, idx, hash) from stdin (format binary)", APPEND);
      }
      TreeHead newHead = new TreeHead(index, Merkle.fold(stackHashes));
      handle
          .createUpdate(
              "update tlog_head set tree_size = :s, root_hash = :r, updated_at = :t where id = 1")
          .bind("s", newHead.size())
          .bind("r", newHead.rootHash())
          .bind("t", createdAt)
          .execute();
      return new Appended(size, entries.size(), newHead);
    }
  }

  /**
   * Every leaf of {@code kind} in index order, in the caller's transaction (for {@code audit
   * verify}'s cross-check of records against leaves).
   */
  public static List<LoggedLeaf> leavesOfKind(Tx tx, LogEntry.Kind kind) {
    return tx.handle()
        .createQuery(
            "select leaf_index, kind, body, leaf_hash, created_at from tlog_leaf where kind = :k"
                + " and body is not null order by leaf_index")
        .bind("k", kind.wireName())
        .map((rs, ctx) -> leaf(rs))
        .list();
  }

  /** Whether the log holds at least one leaf of {@code kind} (one index probe, not a scan). */
  public static boolean hasLeafOfKind(Tx tx, LogEntry.Kind kind) {
    return tx.handle()
        .createQuery("select exists(select 1 from tlog_leaf where kind = :k)")
        .bind("k", kind.wireName())
        .mapTo(Boolean.class)
        .one();
  }

  // ---------------------------------------------------------------- prune

  /** A decision leaf a retention prune may remove the body of. */
  public record PrunableLeaf(long index, byte[] leafHash, Instant createdAt) {
    public PrunableLeaf {
      leafHash = leafHash.clone();
    }

    @Override
    public byte[] leafHash() {
      return leafHash.clone();
    }
  }

  /**
   * Up to {@code limit} decision leaves of {@code workload} appended before {@code cutoff} that
   * still have their body, except those in {@code keep}, lowest index first, locked in the caller's
   * transaction ({@code for update}: a concurrent prune waits). Uses the workload index of V13.
   */
  public static List<PrunableLeaf> prunable(
      Tx tx, String workload, Instant cutoff, Collection<Long> keep, int limit) {
    return tx.handle()
        .createQuery(
            "select leaf_index, leaf_hash, created_at from tlog_leaf where kind = 'decision' and"
                + " workload = :w and body is not null and created_at < :c and leaf_index <>"
                + " all(:keep) order by leaf_index limit :n for update")
        .bind("w", workload)
        .bind("c", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .bindArray("keep", Long.class, List.copyOf(keep))
        .bind("n", limit)
        .map((rs, ctx) ->
            new PrunableLeaf(
                rs.getLong(1), rs.getBytes(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
        .list();
  }

  /** How many leaves {@link #prunable} would yield without a limit (for a dry run). */
  public static long countPrunable(Tx tx, String workload, Instant cutoff, Collection<Long> keep) {
    return tx.handle()
        .createQuery(
            "select count(*) from tlog_leaf where kind = 'decision' and workload = :w and body is"
                + " not null and created_at < :c and leaf_index <> all(:keep)")
        .bind("w", workload)
        .bind("c", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .bindArray("keep", Long.class, List.copyOf(keep))
        .mapTo(Long.class)
        .one();
  }

  /**
   * What pruning {@code leaves} commits to (count, range, digest); the prune's audit record carries
   * it.
   */
  public static PrunedLeaves summary(List<PrunableLeaf> leaves) {
    PrunedLeaves.Builder builder = PrunedLeaves.builder();
    leaves.stream()
        .sorted(java.util.Comparator.comparingLong(PrunableLeaf::index))
        .forEach(leaf -> builder.add(leaf.index(), leaf.leafHash()));
    return builder.build();
  }

  /**
   * Removes the body and jti of {@code leaves} (from {@link #prunable}, in the same transaction),
   * marking them pruned by the audit record {@code auditSeq}; leaf index, leaf hash, kind, every
   * subtree, the head and every checkpoint stay, so all roots and proofs are unchanged. Never
   * touches the append path.
   *
   * @throws StoreException when a leaf is not a decision with its body any more (nothing changes:
   *     the caller's transaction fails)
   */
  public static void prune(Tx tx, List<PrunableLeaf> leaves, long auditSeq) {
    if (leaves.isEmpty()) {
      return;
    }
    int updated =
        tx.handle()
            .createUpdate(
                "update tlog_leaf set body = null, jti = null, workload = null, pruned_by = :seq"
                    + " where leaf_index = any(:i) and kind = 'decision' and body is not null")
            .bind("seq", auditSeq)
            .bindArray("i", Long.class, leaves.stream().map(PrunableLeaf::index).toList())
            .execute();
    if (updated != leaves.size()) {
      throw new StoreException(
          "prune: " + updated + " of " + leaves.size() + " decision leaves still had a body", null);
    }
  }

  // ---------------------------------------------------------------- reads

  /** The current head (tree size and root). */
  public TreeHead head() {
    return jdbi.withHandle(LogStore::head);
  }

  private static TreeHead head(Handle handle) {
    return handle
        .createQuery("select tree_size, root_hash from tlog_head where id = 1")
        .map((rs, ctx) -> new TreeHead(rs.getLong(1), rs.getBytes(2)))
        .findOne()
        .orElseThrow(() -> new StoreException("transparency log head row is missing", null));
  }

  /**
   * The root hash of the first {@code size} leaves.
   *
   * @throws IllegalArgumentException when {@code size} exceeds the tree
   */
  public byte[] rootAt(long size) {
    return jdbi.withHandle(handle -> {
      requireWithin(handle, size);
      if (size == 0) {
        return Merkle.emptyRoot();
      }
      List<Subtree> plan = Merkle.rootPlan(size);
      Map<Subtree, byte[]> hashes = fetch(handle, plan);
      return Merkle.fold(plan.stream().map(hashes::get).toList());
    });
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves.
   *
   * @throws IllegalArgumentException unless {@code index < size <= tree size}
   */
  public List<byte[]> inclusionProof(long index, long size) {
    List<List<Subtree>> plan = Merkle.inclusionPlan(index, size);
    return jdbi.withHandle(handle -> {
      requireWithin(handle, size);
      Map<Subtree, byte[]> hashes = fetch(handle, Merkle.subtrees(plan));
      return Merkle.resolve(plan, hashes::get);
    });
  }

  /**
   * The consistency proof from the first {@code oldSize} leaves to the first {@code newSize}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize <= tree size}
   */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    List<List<Subtree>> plan = Merkle.consistencyPlan(oldSize, newSize);
    return jdbi.withHandle(handle -> {
      requireWithin(handle, newSize);
      Map<Subtree, byte[]> hashes = fetch(handle, Merkle.subtrees(plan));
      return Merkle.resolve(plan, hashes::get);
    });
  }

  private static void requireWithin(Handle handle, long size) {
    long treeSize = head(handle).size();
    if (size < 0 || size > treeSize) {
      throw new IllegalArgumentException(
          "tree size " + size + " is beyond the log (size " + treeSize + ")");
    }
  }

  /** The leaf at {@code index}. */
  public Optional<LoggedLeaf> leaf(long index) {
    return jdbi.withHandle(handle ->
        handle
            .createQuery(
                "select leaf_index, kind, body, leaf_hash, created_at from tlog_leaf where"
                    + " leaf_index = :i")
            .bind("i", index)
            .map((rs, ctx) -> leaf(rs))
            .findOne());
  }

  /**
   * Filters for {@link #decisions}: each present field must match exactly (times: the leaf's append
   * time, {@code from} inclusive, {@code to} exclusive); {@code beforeIndex} pages backwards.
   */
  public record DecisionQuery(
      Optional<String> workload,
      Optional<String> instanceId,
      Optional<String> version,
      Optional<String> verdict,
      Optional<Instant> from,
      Optional<Instant> to,
      Optional<Long> beforeIndex) {}

  /**
   * Decision leaves matching {@code query}, newest first, at most {@code limit}. The workload
   * filter uses the {@code workload} column's index (migration V13); the others filter the leaves
   * it yields.
   */
  public List<LoggedLeaf> decisions(DecisionQuery query, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "select leaf_index, kind, body, leaf_hash, created_at from tlog_leaf where kind ="
                + " 'decision' and body is not null");
    Map<String, Object> binds = new HashMap<>();
    query
        .workload()
        .ifPresent(value -> {
          // the indexed column, and the body itself: a column edited by SQL cannot list another
          // workload's decisions (audit verify reports the edit)
          sql.append(" and workload = :w and (body::jsonb -> 'body' ->> 'workload') = :w");
          binds.put("w", value);
        });
    query
        .instanceId()
        .ifPresent(value -> {
          sql.append(" and (body::jsonb -> 'body' ->> 'instance_id') = :i");
          binds.put("i", value);
        });
    query
        .version()
        .ifPresent(value -> {
          sql.append(" and (body::jsonb -> 'body' ->> 'matched_version') = :v");
          binds.put("v", value);
        });
    query
        .verdict()
        .ifPresent(value -> {
          sql.append(" and (body::jsonb -> 'body' ->> 'verdict') = :d");
          binds.put("d", value);
        });
    query
        .from()
        .ifPresent(value -> {
          sql.append(" and created_at >= :from");
          binds.put("from", OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        });
    query
        .to()
        .ifPresent(value -> {
          sql.append(" and created_at < :to");
          binds.put("to", OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        });
    query
        .beforeIndex()
        .ifPresent(value -> {
          sql.append(" and leaf_index < :before");
          binds.put("before", value);
        });
    sql.append(" order by leaf_index desc limit :limit");
    return jdbi.withHandle(handle -> {
      var statement = handle.createQuery(sql.toString()).bind("limit", limit);
      binds.forEach(statement::bind);
      return statement.map((rs, ctx) -> leaf(rs)).list();
    });
  }

  /** The first decision leaf whose EAR {@code jti} is {@code jti}. */
  public Optional<LoggedLeaf> findByJti(String jti) {
    return jdbi.withHandle(handle ->
        handle
            .createQuery(
                "select leaf_index, kind, body, leaf_hash, created_at from tlog_leaf where jti = :j"
                    + " and body is not null order by leaf_index limit 1")
            .bind("j", jti)
            .map((rs, ctx) -> leaf(rs))
            .findOne());
  }

  /**
   * The leaf texts (not pruned) of the leaves carrying each of {@code jtis}, in one query: for
   * checking many spooled decisions at once.
   */
  public Map<String, Set<String>> leafTextsByJti(Collection<String> jtis) {
    if (jtis.isEmpty()) {
      return Map.of();
    }
    Map<String, Set<String>> found = new HashMap<>();
    jdbi.useHandle(handle ->
        handle
            .createQuery("select jti, body from tlog_leaf where jti = any(:j) and body is not null")
            .bind("j", jtis.toArray(String[]::new))
            .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
            .forEach(
                e -> found.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue())));
    return found;
  }

  private static LoggedLeaf leaf(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new LoggedLeaf(
        rs.getLong("leaf_index"),
        LogEntry.Kind.fromWireName(rs.getString("kind")),
        rs.getString("body"),
        rs.getBytes("leaf_hash"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  /**
   * Hashes of perfect subtrees, in one round trip per table: levels below {@link
   * #STORED_FROM_LEVEL} hashed from the leaf table's hashes, the others from the subtree table.
   *
   * @throws StoreException when one is missing (the tables are corrupt)
   */
  private static Map<Subtree, byte[]> fetch(Handle handle, Collection<Subtree> subtrees) {
    Map<Subtree, byte[]> out = new HashMap<>();
    Set<Long> leafIndexes = new TreeSet<>();
    List<Subtree> fromLeaves = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    for (Subtree subtree : subtrees) {
      if (subtree.level() < STORED_FROM_LEVEL) {
        fromLeaves.add(subtree);
        for (long leaf = subtree.start(); leaf < subtree.end(); leaf++) {
          leafIndexes.add(leaf);
        }
      } else {
        levels.add(subtree.level());
        indexes.add(subtree.index());
      }
    }
    if (!leafIndexes.isEmpty()) {
      Map<Long, byte[]> leafHashes = new HashMap<>();
      handle
          .createQuery("select leaf_index, leaf_hash from tlog_leaf where leaf_index = any(:i)")
          .bindArray("i", Long.class, new ArrayList<>(leafIndexes))
          .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2)))
          .forEach(e -> leafHashes.put(e.getKey(), e.getValue()));
      for (Subtree subtree : fromLeaves) {
        List<byte[]> hashes = new ArrayList<>(1 << subtree.level());
        for (long leaf = subtree.start(); leaf < subtree.end(); leaf++) {
          byte[] hash = leafHashes.get(leaf);
          if (hash == null) {
            break; // missing: reported below
          }
          hashes.add(hash);
        }
        if (hashes.size() == 1 << subtree.level()) {
          out.put(subtree, Merkle.root(hashes));
        }
      }
    }
    if (!levels.isEmpty()) {
      handle
          .createQuery(
              "select s.level, s.idx, s.hash from tlog_subtree s join unnest(:l, :i) as want(level,"
                  + " idx) on s.level = want.level and s.idx = want.idx")
          .bindArray("l", Integer.class, levels)
          .bindArray("i", Long.class, indexes)
          .map((rs, ctx) -> Map.entry(new Subtree(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    for (Subtree subtree : subtrees) {
      if (!out.containsKey(subtree)) {
        throw new StoreException(
            "transparency log is corrupt: no hash for subtree " + subtree, null);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- checkpoints

  /**
   * Stores a signed checkpoint (once per size).
   *
   * @throws IllegalStateException when a checkpoint of the same size with another root is stored
   */
  public void saveCheckpoint(Checkpoint checkpoint, String note, Instant now) {
    jdbi.useTransaction(handle -> {
      int inserted =
          handle
              .createUpdate(
                  "insert into tlog_checkpoint (tree_size, root_hash, note, created_at) values (:s,"
                      + " :r, :n, :t) on conflict (tree_size) do nothing")
              .bind("s", checkpoint.size())
              .bind("r", checkpoint.rootHash())
              .bind("n", note)
              .bind("t", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
              .execute();
      if (inserted == 0) {
        byte[] existing =
            handle
                .createQuery("select root_hash from tlog_checkpoint where tree_size = :s")
                .bind("s", checkpoint.size())
                .mapTo(byte[].class)
                .one();
        if (!Arrays.equals(existing, checkpoint.rootHash())) {
          throw new IllegalStateException(
              "a checkpoint of size " + checkpoint.size() + " with another root is already stored");
        }
      }
    });
  }

  /** The stored checkpoint of the largest size. */
  public Optional<StoredCheckpoint> latestCheckpoint() {
    return jdbi.withHandle(handle ->
        handle
            .createQuery(
                "select tree_size, root_hash, note, created_at from tlog_checkpoint order by"
                    + " tree_size desc limit 1")
            .map((rs, ctx) -> checkpoint(rs))
            .findOne());
  }

  /** The stored checkpoint of {@code size}, if any. */
  public Optional<StoredCheckpoint> checkpointAt(long size) {
    return jdbi.withHandle(handle ->
        handle
            .createQuery(
                "select tree_size, root_hash, note, created_at from tlog_checkpoint where tree_size"
                    + " = :s")
            .bind("s", size)
            .map((rs, ctx) -> checkpoint(rs))
            .findOne());
  }

  private static StoredCheckpoint checkpoint(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new StoredCheckpoint(
        rs.getLong(1),
        rs.getBytes(2),
        rs.getString(3),
        rs.getObject(4, OffsetDateTime.class).toInstant());
  }

  // ---------------------------------------------------------------- audit

  /**
   * Recomputes the whole tree from the leaf bodies (O(n), streamed in chunks) and reports every
   * inconsistency: a gap in the indexes, a leaf hash that is not the hash of its body, a stored
   * subtree hash that differs from the recomputed one or is missing, a head root or size that
   * differs, rows beyond the head, and stored checkpoints whose root differs from the recomputed
   * root at their size or (with {@code key}) whose signature does not verify. The cheap startup
   * check is {@link TransparencyLog#verifyAgainstLocalCheckpoint}; this is for {@code audit
   * verify}.
   */
  public TreeAudit audit(Optional<NoteVerifierKey> key) {
    return audit(key, AUDIT_CHUNK);
  }

  /** {@link #audit(Optional)} in the caller's transaction. */
  public static TreeAudit audit(Tx tx, Optional<NoteVerifierKey> key) {
    return audit(tx.handle(), key, AUDIT_CHUNK);
  }

  /** The current head, in the caller's transaction (no lock). */
  public static TreeHead head(Tx tx) {
    return head(tx.handle());
  }

  /**
   * The root hash at {@code size} from the stored subtrees, in the caller's transaction.
   *
   * @throws IllegalArgumentException when {@code size} exceeds the tree
   */
  public static byte[] rootAt(Tx tx, long size) {
    requireWithin(tx.handle(), size);
    if (size == 0) {
      return Merkle.emptyRoot();
    }
    List<Subtree> plan = Merkle.rootPlan(size);
    Map<Subtree, byte[]> hashes = fetch(tx.handle(), plan);
    return Merkle.fold(plan.stream().map(hashes::get).toList());
  }

  /**
   * The consistency proof from {@code oldSize} to {@code newSize}, in the caller's transaction.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize <= tree size}
   */
  public static List<byte[]> consistencyProof(Tx tx, long oldSize, long newSize) {
    List<List<Subtree>> plan = Merkle.consistencyPlan(oldSize, newSize);
    requireWithin(tx.handle(), newSize);
    Map<Subtree, byte[]> hashes = fetch(tx.handle(), Merkle.subtrees(plan));
    return Merkle.resolve(plan, hashes::get);
  }

  /**
   * The {@code workload} column of a leaf is the body's workload for a decision with its body, and
   * null otherwise: an edit by SQL would hide decisions from the console's search or from
   * retention.
   */
  private static void checkWorkloadColumn(
      long index, String body, String kind, String column, List<String> findings) {
    String expected = null;
    if (LogEntry.Kind.DECISION.wireName().equals(kind) && body != null) {
      try {
        com.fasterxml.jackson.databind.JsonNode workload =
            dev.arbiter.internal.Json.readTree(body).path("body").path("workload");
        expected = workload.isTextual() ? workload.textValue() : null;
      } catch (java.io.IOException e) {
        return; // not JSON: its leaf hash check reports the body
      }
    }
    if (!java.util.Objects.equals(expected, column)) {
      add(
          findings,
          "leaf "
              + index
              + ": its workload column differs from its body (edited outside the log writer)");
    }
  }

  TreeAudit audit(Optional<NoteVerifierKey> key, int chunkSize) {
    // one snapshot: the writer may append leaves and move the head while the audit reads
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        handle -> {
          handle.execute("set transaction read only");
          return audit(handle, key, chunkSize);
        });
  }

  private static TreeAudit audit(Handle handle, Optional<NoteVerifierKey> key, int chunkSize) {
    TreeHead head = head(handle);
    List<String> findings = new ArrayList<>();
    List<Long> checkpointSizes =
        handle
            .createQuery("select tree_size from tlog_checkpoint order by tree_size")
            .mapTo(Long.class)
            .list();
    int nextCheckpoint = 0;
    int checkpointsChecked = 0;
    List<Subtree> stackNodes = new ArrayList<>();
    List<byte[]> stackHashes = new ArrayList<>();
    Map<Long, PrunedLeaves.Builder> pruned = new HashMap<>();
    long expected = 0;
    long leavesChecked = 0;
    while (nextCheckpoint < checkpointSizes.size() && checkpointSizes.get(nextCheckpoint) == 0) {
      checkpointsChecked += checkCheckpoint(handle, 0, Merkle.emptyRoot(), key, findings);
      nextCheckpoint++;
    }
    boolean gap = false;
    for (long chunk = 0; chunk < head.size() && !gap; chunk += chunkSize) {
      long from = chunk;
      long to = Math.min(head.size(), chunk + chunkSize);
      Map<Subtree, byte[]> stored = subtreesEndingIn(handle, from, to);
      List<Object[]> rows =
          handle
              .createQuery(
                  "select leaf_index, leaf_hash, body, kind, pruned_by, workload from tlog_leaf"
                      + " where leaf_index >= :a and leaf_index < :b order by leaf_index")
              .bind("a", from)
              .bind("b", to)
              .map((rs, ctx) ->
                  new Object[] {
                    rs.getLong(1),
                    rs.getBytes(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getObject(5, Long.class),
                    rs.getString(6)
                  })
              .list();
      for (Object[] row : rows) {
        long index = (Long) row[0];
        if (index != expected) {
          gap = true;
          break;
        }
        byte[] computed = checkedLeafHash(index, row, pruned, findings);
        checkWorkloadColumn(index, (String) row[2], (String) row[3], (String) row[5], findings);
        stackNodes.add(new Subtree(0, index));
        stackHashes.add(computed);
        while (stackNodes.size() >= 2
            && stackNodes.get(stackNodes.size() - 1).level()
                == stackNodes.get(stackNodes.size() - 2).level()) {
          int last = stackNodes.size() - 1;
          Subtree parent =
              new Subtree(
                  stackNodes.get(last - 1).level() + 1, stackNodes.get(last - 1).index() / 2);
          byte[] hash = Merkle.nodeHash(stackHashes.get(last - 1), stackHashes.get(last));
          stackNodes.remove(last);
          stackHashes.remove(last);
          stackNodes.set(last - 1, parent);
          stackHashes.set(last - 1, hash);
          if (parent.level() < STORED_FROM_LEVEL) {
            continue; // not stored: hashed from the leaves checked here when needed
          }
          byte[] storedHash = stored.get(parent);
          if (storedHash == null) {
            add(findings, "subtree " + parent.level() + "/" + parent.index() + " is missing");
          } else if (!Arrays.equals(storedHash, hash)) {
            add(
                findings,
                "subtree "
                    + parent.level()
                    + "/"
                    + parent.index()
                    + " (leaves "
                    + parent.start()
                    + ".."
                    + (parent.end() - 1)
                    + ") does not match the leaves");
          }
        }
        expected++;
        leavesChecked++;
        while (nextCheckpoint < checkpointSizes.size()
            && checkpointSizes.get(nextCheckpoint) == expected) {
          checkpointsChecked +=
              checkCheckpoint(handle, expected, Merkle.fold(stackHashes), key, findings);
          nextCheckpoint++;
        }
      }
      gap |= expected != to;
    }
    if (gap) {
      add(
          findings,
          "leaf "
              + expected
              + " is missing: the leaf indexes are not dense up to the head size "
              + head.size());
    }
    if (expected == head.size()) {
      byte[] root = head.size() == 0 ? Merkle.emptyRoot() : Merkle.fold(stackHashes);
      if (!Arrays.equals(root, head.rootHash())) {
        add(findings, "the head root does not match the leaves at size " + head.size());
      }
    }
    long extraLeaves =
        handle
            .createQuery("select count(*) from tlog_leaf where leaf_index >= :s")
            .bind("s", head.size())
            .mapTo(Long.class)
            .one();
    if (extraLeaves > 0) {
      add(findings, extraLeaves + " leaves beyond the head size " + head.size());
    }
    long extraSubtrees =
        handle
            .createQuery(
                "select count(*) from tlog_subtree where (idx + 1) * (1::bigint << level) > :s")
            .bind("s", head.size())
            .mapTo(Long.class)
            .one();
    if (extraSubtrees > 0) {
      add(findings, extraSubtrees + " subtree hashes beyond the head size " + head.size());
    }
    for (int i = nextCheckpoint; i < checkpointSizes.size(); i++) {
      long size = checkpointSizes.get(i);
      if (size > head.size()) {
        add(findings, "checkpoint of size " + size + " is beyond the head size " + head.size());
      }
    }
    Map<Long, PrunedLeaves> prunes = new HashMap<>();
    pruned.forEach((seq, builder) -> prunes.put(seq, builder.build()));
    return new TreeAudit(head.size(), leavesChecked, checkpointsChecked, findings, prunes);
  }

  /**
   * The hash a leaf row contributes to the tree: the hash of its body, or for a pruned decision
   * leaf (no body, marked with the seq of its prune's audit record) the stored hash, which the
   * prune's digest commits to. A body missing without that mark, or on a leaf other than a
   * decision, is a finding (nulled by SQL, not by a prune); so is a mark on a leaf with a body.
   */
  private static byte[] checkedLeafHash(
      long index, Object[] row, Map<Long, PrunedLeaves.Builder> pruned, List<String> findings) {
    byte[] stored = (byte[]) row[1];
    String body = (String) row[2];
    String kind = (String) row[3];
    Long prunedBy = (Long) row[4];
    if (body != null) {
      if (prunedBy != null) {
        add(
            findings,
            "leaf "
                + index
                + ": marked pruned (by audit record "
                + prunedBy
                + ") but has its body");
      }
      byte[] computed = Merkle.leafHash(body.getBytes(StandardCharsets.UTF_8));
      if (!Arrays.equals(computed, stored)) {
        add(findings, "leaf " + index + ": the stored leaf hash is not the hash of its body");
      }
      return computed;
    }
    if (!LogEntry.Kind.DECISION.wireName().equals(kind)) {
      add(
          findings,
          "leaf "
              + index
              + ": its body is gone, but it is a "
              + kind
              + " leaf (only decision leaves may be pruned)");
    } else if (prunedBy == null) {
      add(
          findings,
          "leaf "
              + index
              + ": its body is gone without a prune record (removed outside a retention prune)");
    } else {
      pruned.computeIfAbsent(prunedBy, seq -> PrunedLeaves.builder()).add(index, stored);
    }
    return stored;
  }

  /**
   * The stored subtrees whose last leaf is in {@code [from, to)}: per level, a primary-key range.
   */
  private static Map<Subtree, byte[]> subtreesEndingIn(Handle handle, long from, long to) {
    List<Integer> levels = new ArrayList<>();
    List<Long> lows = new ArrayList<>();
    List<Long> highs = new ArrayList<>();
    for (int level = STORED_FROM_LEVEL; level < 63 && (1L << level) <= to; level++) {
      // (idx + 1) * 2^level in (from, to]
      long low = from >> level;
      long high = (to >> level) - 1;
      if (low <= high) {
        levels.add(level);
        lows.add(low);
        highs.add(high);
      }
    }
    Map<Subtree, byte[]> stored = new HashMap<>();
    if (levels.isEmpty()) {
      return stored;
    }
    handle
        .createQuery(
            "select s.level, s.idx, s.hash from tlog_subtree s join unnest(:l, :lo, :hi) as"
                + " r(level, lo, hi) on s.level = r.level and s.idx between r.lo and r.hi")
        .bindArray("l", Integer.class, levels)
        .bindArray("lo", Long.class, lows)
        .bindArray("hi", Long.class, highs)
        .map((rs, ctx) -> Map.entry(new Subtree(rs.getInt(1), rs.getLong(2)), rs.getBytes(3)))
        .forEach(e -> stored.put(e.getKey(), e.getValue()));
    return stored;
  }

  private static int checkCheckpoint(
      Handle handle, long size, byte[] root, Optional<NoteVerifierKey> key, List<String> findings) {
    StoredCheckpoint stored =
        handle
            .createQuery(
                "select tree_size, root_hash, note, created_at from tlog_checkpoint where tree_size"
                    + " = :s")
            .bind("s", size)
            .map((rs, ctx) -> checkpoint(rs))
            .one();
    if (!Arrays.equals(stored.rootHash(), root)) {
      add(findings, "checkpoint of size " + size + ": its root does not match the leaves");
    }
    if (key.isPresent()) {
      Verification opened = Checkpoints.open(stored.note(), key.get());
      if (!(opened instanceof Verification.Verified(Checkpoint checkpoint))) {
        add(findings, "checkpoint of size " + size + ": " + opened);
      } else if (checkpoint.size() != size
          || !Arrays.equals(checkpoint.rootHash(), stored.rootHash())) {
        add(
            findings,
            "checkpoint of size " + size + ": the signed note is not the stored size and root");
      }
    }
    return 1;
  }

  private static void add(List<String> findings, String finding) {
    if (findings.size() < MAX_FINDINGS) {
      findings.add(finding);
    } else if (findings.size() == MAX_FINDINGS) {
      findings.add("... more findings not listed");
    }
  }
}
