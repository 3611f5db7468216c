// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.osv.Advisory;
import dev.arbiter.supplychain.osv.ContinuousScan;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.OsvParser;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's in-memory view of the advisories in the database (an OSV index) and of every
 * registered version's SBOM (the re-scan inventory), kept in one {@link ContinuousScan}. The
 * database is the source of truth: {@link #sync} loads advisories other replicas imported (by import
 * sequence) and SBOMs of versions registered elsewhere; a failed import resets the view so the next
 * sync rebuilds it. Imports on this replica are serialized by {@link #importLock()}; readers never
 * wait for an import (they see the view as it is).
 */
final class AdvisoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryStore.class);

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
  void sync(Handle handle) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      syncAdvisories(handle);
    } finally {
      lock.unlock();
    }
  }

  /** Advisories and the SBOM inventory (versions registered on other replicas), holding {@link #importLock()}. */
  void syncLocked(Handle handle) {
    syncAdvisories(handle);
    syncInventory(handle);
  }

  private void syncAdvisories(Handle handle) {
    List<Map<String, Object>> rows = handle.createQuery("select id, body, import_seq from advisory where import_seq > :s order by import_seq, id")
        .bind("s", loadedSeq).mapToMap().list();
    List<Advisory> advisories = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      try {
        List<Problem> notes = new ArrayList<>();
        advisories.addAll(OsvParser.parse(((String) row.get("body")).getBytes(StandardCharsets.UTF_8), (String) row.get("id"), notes));
      } catch (RuntimeException e) {
        LOG.error("stored advisory {} no longer parses; skipped", row.get("id"));
      }
      loadedSeq = Math.max(loadedSeq, ((Number) row.get("import_seq")).longValue());
    }
    scan.loadAdvisories(advisories);
  }

  private void syncInventory(Handle handle) {
    ContinuousScan current = scan;
    List<Map<String, Object>> versions = handle.createQuery(
            "select workload, label, (content::jsonb -> 'sbom' ->> 'digest') as digest from version where content::jsonb -> 'sbom' ->> 'digest' is not null")
        .mapToMap().list();
    for (Map<String, Object> row : versions) {
      String id = sbomId((String) row.get("workload"), (String) row.get("label"));
      if (inventoried.contains(id)) {
        continue;
      }
      SupplyChainStore.document(handle, (String) row.get("digest")).ifPresent(bytes -> {
        try {
          current.putSbom(id, SbomParser.parse(bytes));
        } catch (RuntimeException e) {
          LOG.error("stored SBOM of {} no longer parses; not monitored", id);
        }
      });
      inventoried.add(id);
    }
  }

  /** Adds (or replaces) one advisory; returns the SBOM ids it newly affects with the new findings. */
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
