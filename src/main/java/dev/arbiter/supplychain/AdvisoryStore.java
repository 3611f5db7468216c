// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.problem.Problem;
import dev.arbiter.store.Tx;
import dev.arbiter.supplychain.osv.Advisory;
import dev.arbiter.supplychain.osv.ContinuousScan;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.OsvParser;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's in-memory view of the advisories in the database (an OSV index) and of every
 * registered version's SBOM (the re-scan inventory), kept in one {@link ContinuousScan}. The
 * database is the source of truth: {@link #sync} loads advisories other replicas imported (by
 * import sequence) and SBOMs of versions registered elsewhere; a failed import resets the view so
 * the next sync rebuilds it. Imports on this replica are serialized by {@link #importLock()};
 * readers never wait for an import (they see the view as it is).
 */
final class AdvisoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryStore.class);
  private static final long IMPORT_LOCK = 0x6172626974657206L;

  private final ReentrantLock lock = new ReentrantLock();
  private final Set<String> inventoried = ConcurrentHashMap.newKeySet();
  private volatile ContinuousScan scan = new ContinuousScan();
  private long loadedSeq;

  static String sbomId(String workload, String version) {
    return workload + "@" + version;
  }

  ReentrantLock importLock() {
    return lock;
  }

  /**
   * Brings the advisory index up to date with the database (one indexed query when nothing is new),
   * unless an import holds the lock (then it is current).
   */
  void sync(Tx tx) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      syncAdvisories(tx);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Advisories and the SBOM inventory (versions registered on other replicas), holding {@link
   * #importLock()}.
   */
  void syncLocked(Tx tx) {
    syncAdvisories(tx);
    syncInventory(tx);
  }

  private void syncAdvisories(Tx tx) {
    record Row(String id, String body, long importSeq) {}
    List<Row> rows =
        tx.handle()
            .createQuery(
                "select id, body, import_seq from advisory where import_seq > :s order by"
                    + " import_seq, id")
            .bind("s", loadedSeq)
            .map((rs, ctx) ->
                new Row(rs.getString("id"), rs.getString("body"), rs.getLong("import_seq")))
            .list();
    List<Advisory> advisories = new ArrayList<>();
    for (Row row : rows) {
      try {
        List<Problem> notes = new ArrayList<>();
        advisories.addAll(
            OsvParser.parse(row.body().getBytes(StandardCharsets.UTF_8), row.id(), notes));
      } catch (RuntimeException e) {
        LOG.error("stored advisory {} no longer parses; skipped", row.id());
      }
      loadedSeq = Math.max(loadedSeq, row.importSeq());
    }
    scan.loadAdvisories(advisories);
  }

  private void syncInventory(Tx tx) {
    ContinuousScan current = scan;
    record Row(String workload, String label, String digest) {}
    List<Row> versions =
        tx.handle()
            .createQuery(
                "select workload, label, (content::jsonb -> 'sbom' ->> 'digest') as digest from"
                    + " version where content::jsonb -> 'sbom' ->> 'digest' is not null")
            .map((rs, ctx) ->
                new Row(rs.getString("workload"), rs.getString("label"), rs.getString("digest")))
            .list();
    for (Row row : versions) {
      String id = sbomId(row.workload(), row.label());
      if (inventoried.contains(id)) {
        continue;
      }
      SupplyChainStore.document(tx, row.digest())
          .ifPresent(bytes -> {
            try {
              current.putSbom(id, SbomParser.parse(bytes));
            } catch (RuntimeException e) {
              LOG.error("stored SBOM of {} no longer parses; not monitored", id);
            }
          });
      inventoried.add(id);
    }
  }

  /**
   * Serializes advisory imports across replicas (a transaction-scoped PostgreSQL advisory lock).
   */
  static void lockImports(Tx tx) {
    tx.handle().execute("select pg_advisory_xact_lock(?)", IMPORT_LOCK);
  }

  /** Records an import (stored count 0 until {@link #setStored}); returns its sequence number. */
  static long insertImport(
      Tx tx,
      Instant at,
      String principal,
      String source,
      int records,
      long withdrawn,
      int skipped) {
    return tx.handle()
        .createUpdate(
            "insert into advisory_import(at, principal, source, records, stored, withdrawn,"
                + " skipped) values (:at, :by, :src, :n, 0, :wd, :sk)")
        .bind("at", at)
        .bind("by", principal)
        .bind("src", source)
        .bind("n", records)
        .bind("wd", withdrawn)
        .bind("sk", skipped)
        .executeAndReturnGeneratedKeys("seq")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Stores an advisory unless a newer modification is stored; returns the number of rows changed.
   */
  static int upsert(Tx tx, Advisory advisory, String json, long importSeq) {
    return tx.handle()
        .createUpdate(
            "insert into advisory(id, modified, withdrawn, body, import_seq) values (:id, :m, :wd,"
                + " :b, :s) on conflict (id) do update set modified = excluded.modified, withdrawn"
                + " = excluded.withdrawn, body = excluded.body, import_seq = excluded.import_seq"
                + " where advisory.modified <= excluded.modified")
        .bind("id", advisory.id())
        .bind("m", advisory.modified())
        .bind("wd", advisory.withdrawn())
        .bind("b", json)
        .bind("s", importSeq)
        .execute();
  }

  static void setStored(Tx tx, long importSeq, int stored) {
    tx.handle().execute("update advisory_import set stored = ? where seq = ?", stored, importSeq);
  }

  /** One advisory import as listed by the summary. */
  record Import(
      @JsonProperty("seq") long seq,
      @JsonProperty("at") String at,
      @JsonProperty("principal") String principal,
      @JsonProperty("source") String source,
      @JsonProperty("records") int records,
      @JsonProperty("stored") int stored,
      @JsonProperty("withdrawn") int withdrawn,
      @JsonProperty("skipped") int skipped) {}

  /** Stored advisories that are not withdrawn ({@code withdrawn} false) or withdrawn. */
  static long count(Tx tx, boolean withdrawn) {
    return tx.handle()
        .createQuery("select count(*) from advisory where withdrawn = :w")
        .bind("w", withdrawn)
        .mapTo(Long.class)
        .one();
  }

  /** The stored OSV records (JSON text) of {@code ids}, by id; unknown ids are left out. */
  static Map<String, String> bodies(Tx tx, java.util.Collection<String> ids) {
    Map<String, String> out = new java.util.TreeMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    tx.handle()
        .createQuery("select id, body from advisory where id = any(:ids)")
        .bind("ids", ids.toArray(String[]::new))
        .map((rs, ctx) -> out.put(rs.getString("id"), rs.getString("body")))
        .list();
    return out;
  }

  /** The latest 20 imports, newest first. */
  static List<Import> recentImports(Tx tx) {
    return tx.handle()
        .createQuery(
            "select seq, at, principal, source, records, stored, withdrawn, skipped from"
                + " advisory_import order by seq desc limit 20")
        .map((rs, ctx) ->
            new Import(
                rs.getLong("seq"),
                rs.getTimestamp("at").toInstant().toString(),
                rs.getString("principal"),
                rs.getString("source"),
                rs.getInt("records"),
                rs.getInt("stored"),
                rs.getInt("withdrawn"),
                rs.getInt("skipped")))
        .list();
  }

  /**
   * Adds (or replaces) one advisory; returns the SBOM ids it newly affects with the new findings.
   */
  Map<String, List<Finding>> add(Advisory advisory, long importSeq) {
    Map<String, List<Finding>> delta = scan.addAdvisory(advisory);
    loadedSeq = Math.max(loadedSeq, importSeq);
    return delta;
  }

  /** Registers a version's SBOM for monitoring (after its registration committed). */
  void monitor(String workload, String version, Sbom sbom) {
    String id = sbomId(workload, version);
    scan.putSbom(id, sbom);
    inventoried.add(id);
  }

  /** Drops the view (after a failed import); the next sync reloads everything. */
  void reset() {
    scan = new ContinuousScan();
    inventoried.clear();
    loadedSeq = 0;
  }

  Scanner scanner() {
    return scan.scanner();
  }

  int size() {
    return scan.index().size();
  }
}
