// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.store.Tx;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only lookups of leaves by what they record (for governance reports): the leaf of a record by
 * its hash, the first decision of each version of a workload. No writes.
 */
public final class LogQueryStore {
  private LogQueryStore() {}

  /**
   * The leaf indexes of records of {@code kind} (policy revisions or audit records) whose logged
   * {@code hash} is one of {@code hashes}: hash to leaf index (the first leaf when one is logged
   * twice).
   */
  public static Map<String, Long> leafIndexesByHash(
      Tx tx, LogEntry.Kind kind, Collection<String> hashes) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (hashes.isEmpty()) {
      return out;
    }
    tx.handle()
        .createQuery(
            "select leaf_index, body::jsonb -> 'body' ->> 'hash' as hash from tlog_leaf where kind"
                + " = :k and body::jsonb -> 'body' ->> 'hash' = any(:h) order by leaf_index")
        .bind("k", kind.wireName())
        .bindArray("h", String.class, hashes)
        .map((rs, ctx) -> {
          out.putIfAbsent(rs.getString("hash"), rs.getLong("leaf_index"));
          return null;
        })
        .list();
    return out;
  }

  /**
   * The first decision leaf (lowest index) per matched version of {@code workload} among those with
   * one of {@code verdicts}, oldest version first.
   */
  public static List<LogStore.LoggedLeaf> firstDecisionsPerVersion(
      Tx tx, String workload, Collection<String> verdicts) {
    return tx
        .handle()
        .createQuery(
            "select distinct on (body::jsonb -> 'body' ->> 'matched_version') leaf_index, kind,"
                + " body, leaf_hash, created_at from tlog_leaf where kind = 'decision' and"
                + " workload = :w and body::jsonb -> 'body' ->> 'workload' = :w"
                + " and body::jsonb -> 'body' ->> 'matched_version' is not null"
                + " and body::jsonb -> 'body' ->> 'verdict' ="
                + " any(:v) order by body::jsonb -> 'body' ->> 'matched_version', leaf_index")
        .bind("w", workload)
        .bindArray("v", String.class, verdicts)
        .map((rs, ctx) ->
            new LogStore.LoggedLeaf(
                rs.getLong("leaf_index"),
                LogEntry.Kind.fromWireName(rs.getString("kind")),
                rs.getString("body"),
                rs.getBytes("leaf_hash"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list()
        .stream()
        .sorted(java.util.Comparator.comparingLong(LogStore.LoggedLeaf::index))
        .toList();
  }

  /** The stored signed checkpoints with {@code minSize <= size <= maxSize}, smallest first. */
  public static List<LogStore.StoredCheckpoint> checkpointsBetween(
      Tx tx, long minSize, long maxSize) {
    return tx.handle()
        .createQuery(
            "select tree_size, root_hash, note, created_at from tlog_checkpoint where tree_size"
                + " between :a and :b order by tree_size")
        .bind("a", minSize)
        .bind("b", maxSize)
        .map((rs, ctx) ->
            new LogStore.StoredCheckpoint(
                rs.getLong("tree_size"),
                rs.getBytes("root_hash"),
                rs.getString("note"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list();
  }

  /** The smallest stored checkpoint whose tree contains leaf {@code index}, if any. */
  public static java.util.Optional<LogStore.StoredCheckpoint> firstCovering(Tx tx, long index) {
    return tx.handle()
        .createQuery(
            "select tree_size, root_hash, note, created_at from tlog_checkpoint where tree_size >"
                + " :i order by tree_size limit 1")
        .bind("i", index)
        .map((rs, ctx) ->
            new LogStore.StoredCheckpoint(
                rs.getLong("tree_size"),
                rs.getBytes("root_hash"),
                rs.getString("note"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .findOne();
  }

  /** The latest stored signed checkpoint, if any. */
  public static java.util.Optional<LogStore.StoredCheckpoint> latest(Tx tx) {
    return tx.handle()
        .createQuery(
            "select tree_size, root_hash, note, created_at from tlog_checkpoint order by tree_size"
                + " desc limit 1")
        .map((rs, ctx) ->
            new LogStore.StoredCheckpoint(
                rs.getLong("tree_size"),
                rs.getBytes("root_hash"),
                rs.getString("note"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .findOne();
  }

  /**
   * How many decision leaves the prunes {@code pruneSeqs} (seqs of their audit records) removed the
   * body of, among those appended in {@code [from, to]}.
   */
  public static long prunedBetween(
      Tx tx, Collection<Long> pruneSeqs, java.time.Instant from, java.time.Instant to) {
    if (pruneSeqs.isEmpty()) {
      return 0;
    }
    return tx.handle()
        .createQuery(
            "select count(*) from tlog_leaf where pruned_by = any(:s) and created_at >= :a and"
                + " created_at <= :b")
        .bindArray("s", Long.class, List.copyOf(pruneSeqs))
        .bind("a", OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC))
        .bind("b", OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC))
        .mapTo(Long.class)
        .one();
  }
}
