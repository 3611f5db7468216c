// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.tlog.Merkle.Subtree;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * What logging a decision costs, in thread CPU time (on a shared machine wall time mostly measures
 * the scheduler), the way it was built and written before (a Jackson tree of the record,
 * canonicalized by {@link Jcs}, the regex check of the evidence digest; leaves and subtrees
 * inserted with JDBC batches of one statement per row) and now ({@link LogEntry#decision}: the leaf
 * text written directly and hashed once; {@link LogStore#append}: one binary {@code COPY} per
 * table). Old and new run interleaved in rounds. Usage: {@code java -cp ...
 * dev.arbiter.tlog.DecisionLogCost [entry|writer|both] [rounds]}; the writer part starts an
 * embedded PostgreSQL (fsync on, as the server's) in a temporary directory and also reports the
 * server processes' CPU from {@code /proc}.
 */
public final class DecisionLogCost {
  private static final int PER_ROUND = 2_000;
  // what the writer drains per 100 ms at ~1,300 decisions/s; -Dbatch=N to change
  private static final int BATCH = Integer.getInteger("batch", 130);

  private DecisionLogCost() {}

  public static void main(String[] args) throws Exception {
    String part = args.length > 0 ? args[0] : "both";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    if (!part.equals("writer")) {
      entry(rounds);
    }
    if (!part.equals("entry")) {
      writer(Math.max(3, rounds / 2));
    }
  }

  // ---------------------------------------------------------------- building the entry

  private static void entry(int rounds) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<Input> inputs = inputs(PER_ROUND);
    long[] cpu = new long[2];
    long[] allocated = new long[2];
    long sink = 0;
    for (int round = -10; round < rounds; round++) {
      for (int op = 0; op < 2; op++) {
        long start = threads.getCurrentThreadCpuTime();
        long bytes = threads.getCurrentThreadAllocatedBytes();
        for (Input in : inputs) {
          sink += op == 0 ? oldEntry(in) : newEntry(in);
        }
        if (round >= 0) {
          cpu[op] += threads.getCurrentThreadCpuTime() - start;
          allocated[op] += threads.getCurrentThreadAllocatedBytes() - bytes;
        }
      }
    }
    long ops = (long) rounds * PER_ROUND;
    System.out.printf("decision entry (record, leaf text, leaf hash), per decision (%d)%n", sink);
    String[] names = {"before (tree + Jcs + regex)", "now (DecisionLeaf)"};
    for (int op = 0; op < 2; op++) {
      System.out.printf(
          "  %-28s %7.2f us CPU, %6d bytes allocated%n",
          names[op], cpu[op] / 1e3 / ops, allocated[op] / ops);
    }
    System.out.printf("  now / before = %.1f%% of the CPU%n", 100.0 * cpu[1] / cpu[0]);
  }

  /** What varies between decisions (the same in both ways of building). */
  private record Input(
      Instant time, String instanceId, String evidenceSha256, String revision, String jti) {}

  private static Decision decision(Input in) {
    return new Decision(
        in.time(),
        "bench",
        in.instanceId(),
        "sev-snp",
        in.evidenceSha256(),
        "1",
        in.revision(),
        "affirming",
        List.of(),
        in.jti());
  }

  /** The leaf as built before: record (its regex check), Jackson tree, Jcs, String, and hash. */
  private static int oldEntry(Input in) {
    if (!in.evidenceSha256().matches("[0-9a-f]{64}")) {
      throw new IllegalStateException();
    }
    Decision decision = decision(in);
    ObjectNode envelope = Json.mapper().createObjectNode();
    envelope.set("body", (ObjectNode) Json.mapper().valueToTree(decision));
    envelope.put("kind", "decision");
    envelope.put("time", decision.time().toString());
    byte[] data = Jcs.canonicalize((JsonNode) envelope);
    String text = new String(data, StandardCharsets.UTF_8);
    JsonNode jti = envelope.get("body").get("jti");
    return text.length() + Merkle.leafHash(data)[0] + jti.textValue().length();
  }

  private static int newEntry(Input in) {
    LogEntry entry = LogEntry.decision(decision(in));
    return entry.leafText().length() + entry.leafHashShared()[0] + entry.jtiOrNull().length();
  }

  private static List<Input> inputs(int count) {
    List<Input> out = new ArrayList<>();
    Instant t = Instant.parse("2026-12-05T14:00:00Z");
    for (int i = 0; i < count; i++) {
      byte[] digest = Merkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8)});
      out.add(
          new Input(
              t.plusNanos(1_000_123L * i),
              "i-" + i,
              dev.arbiter.internal.Hex.encode(digest),
              "sha256:" + dev.arbiter.internal.Hex.encode(Merkle.leafHash(digest)),
              UUID.nameUUIDFromBytes(digest).toString()));
    }
    return out;
  }

  // ---------------------------------------------------------------- writing a batch

  private static void writer(int rounds) throws Exception {
    Path dir = Files.createTempDirectory("tlog-cost");
    try (Database database = Database.open(new Database.Location.Embedded(dir.resolve("pg")))) {
      LogStore store = new LogStore(database.jdbi());
      String drop = System.getProperty("dropIndex");
      if (drop != null) {
        // an experiment: what one index costs per leaf
        database.jdbi().useHandle(h -> h.execute("drop index " + drop));
        System.out.println("dropped index " + drop);
      }
      long postmaster;
      try (var files = Files.walk(dir)) {
        Path pidFile =
            files
                .filter(f -> f.getFileName().toString().equals("postmaster.pid"))
                .findFirst()
                .get();
        postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      }
      var threads = ManagementFactory.getThreadMXBean();
      List<LogEntry> entries = new ArrayList<>();
      for (Input in : inputs(BATCH)) {
        entries.add(LogEntry.decision(decision(in)));
      }
      int batchesPerRound = Math.max(1, 5200 / BATCH);
      long[] cpu = new long[2];
      long[] wall = new long[2];
      long[] server = new long[2];
      Instant now = Instant.parse("2026-12-05T14:00:00Z");
      for (int round = -3; round < rounds; round++) {
        for (int op = 0; op < 2; op++) {
          long c0 = threads.getCurrentThreadCpuTime();
          long w0 = System.nanoTime();
          long s0 = serverCpuMillis(postmaster);
          for (int b = 0; b < batchesPerRound; b++) {
            if (op == 0) {
              database.jdbi().useTransaction(handle -> oldAppend(handle, entries, now));
            } else {
              store.append(entries, now);
            }
          }
          if (round >= 0) {
            cpu[op] += threads.getCurrentThreadCpuTime() - c0;
            wall[op] += System.nanoTime() - w0;
            server[op] += serverCpuMillis(postmaster) - s0;
          }
        }
      }
      if (!store.audit(java.util.Optional.empty()).intact()) {
        throw new IllegalStateException("the interleaved appends left an inconsistent log");
      }
      long leaves = (long) rounds * batchesPerRound * BATCH;
      System.out.printf("server CPU of the database's setup: %s%n", pgSettings(database));
      System.out.printf(
          "writer, batches of %d decisions, fsync on, per leaf (%d leaves each)%n", BATCH, leaves);
      String[] names = {"before (JDBC batches)", "now (binary COPY)"};
      for (int op = 0; op < 2; op++) {
        System.out.printf(
            "  %-22s writer thread %6.2f us CPU, PostgreSQL %6.2f us CPU, wall %6.2f us%n",
            names[op], cpu[op] / 1e3 / leaves, server[op] * 1e3 / leaves, wall[op] / 1e3 / leaves);
      }
    }
  }

  private static String pgSettings(Database database) {
    return database
        .jdbi()
        .withHandle(h ->
            h.createQuery(
                    "select string_agg(name || '=' || setting, ' ') from pg_settings where name in"
                        + " ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level',"
                        + " 'shared_buffers', 'max_wal_size', 'server_version')")
                .mapTo(String.class)
                .one());
  }

  /**
   * utime + stime of the PostgreSQL server (the postmaster and its children: backends, WAL writer,
   * checkpointer..., and the exited children it reaped), in milliseconds (Linux {@code /proc}, 100
   * ticks a second).
   */
  private static long serverCpuMillis(long postmaster) throws Exception {
    long ticks = 0;
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process : processes.toList()) {
        String name = process.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String stat;
        try {
          stat = Files.readString(process.resolve("stat"));
        } catch (java.io.IOException gone) {
          continue;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(name) == postmaster || Long.parseLong(fields[1]) == postmaster) {
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        if (Long.parseLong(name) == postmaster) {
          // children that exited (autovacuum workers): their time, once the postmaster reaped them
          ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
      }
    }
    return ticks * 10;
  }

  /**
   * {@code LogStore.append} as it was before this change (JDBC batches), verbatim but for the
   * workload column.
   */
  private static void oldAppend(Handle handle, List<LogEntry> entries, Instant now) {
    OffsetDateTime createdAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    LogStore.TreeHead head =
        handle
            .createQuery("select tree_size, root_hash from tlog_head where id = 1 for update")
            .map((rs, ctx) -> new LogStore.TreeHead(rs.getLong(1), rs.getBytes(2)))
            .one();
    long size = head.size();
    List<Subtree> frontierNodes = Merkle.rootPlan(size);
    Map<Subtree, byte[]> known = oldFetch(handle, frontierNodes);
    List<Subtree> stackNodes = new ArrayList<>(frontierNodes);
    List<byte[]> stackHashes = new ArrayList<>();
    for (Subtree node : frontierNodes) {
      stackHashes.add(known.get(node));
    }
    if (!stackHashes.isEmpty() && !Arrays.equals(Merkle.fold(stackHashes), head.rootHash())) {
      throw new IllegalStateException("inconsistent");
    }
    PreparedBatch leaves =
        handle.prepareBatch(
            // (plus the workload column of V13, which came later)
            "insert into tlog_leaf (leaf_index, leaf_hash, kind, body, jti, created_at, workload)"
                + " values (:i, :h, :k, :b, :j, :t, :w)");
    PreparedBatch subtrees =
        handle.prepareBatch("insert into tlog_subtree (level, idx, hash) values (:l, :i, :h)");
    int subtreeCount = 0;
    long index = size;
    for (LogEntry entry : entries) {
      byte[] leafHash = entry.leafHash();
      leaves
          .bind("i", index)
          .bind("h", leafHash)
          .bind("k", entry.kind().wireName())
          .bind("b", entry.leafText())
          .bind("j", entry.jti().orElse(null))
          .bind("t", createdAt)
          .bind("w", entry.workloadOrNull())
          .add();
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
        subtrees.bind("l", parent.level()).bind("i", parent.index()).bind("h", hash).add();
        subtreeCount++;
      }
      index++;
    }
    leaves.execute();
    if (subtreeCount > 0) {
      subtrees.execute();
    }
    handle
        .createUpdate(
            "update tlog_head set tree_size = :s, root_hash = :r, updated_at = :t where id = 1")
        .bind("s", index)
        .bind("r", Merkle.fold(stackHashes))
        .bind("t", createdAt)
        .execute();
  }

  private static Map<Subtree, byte[]> oldFetch(Handle handle, List<Subtree> subtrees) {
    Map<Subtree, byte[]> out = new HashMap<>();
    List<Long> leafIndexes = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    for (Subtree subtree : subtrees) {
      if (subtree.level() == 0) {
        leafIndexes.add(subtree.index());
      } else {
        levels.add(subtree.level());
        indexes.add(subtree.index());
      }
    }
    if (!leafIndexes.isEmpty()) {
      handle
          .createQuery("select leaf_index, leaf_hash from tlog_leaf where leaf_index = any(:i)")
          .bindArray("i", Long.class, leafIndexes)
          .map((rs, ctx) -> Map.entry(new Subtree(0, rs.getLong(1)), rs.getBytes(2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
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
    return out;
  }
}
