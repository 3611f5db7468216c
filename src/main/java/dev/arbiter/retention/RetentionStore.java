// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.retention;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of retention (migration V12): the server-wide default row, the fleet's attestation events
 * past retention, and the session advisory lock that lets one replica prune at a time.
 */
final class RetentionStore {
  /** pg advisory lock key of the prune ("arbiter" "prune"), distinct from the audit log's. */
  private static final long PRUNE_LOCK = 0x6172_6269_7072_756eL;

  private RetentionStore() {}

  /** The stored default ({@code forever}, {@code P90D}, ...), if set. */
  static Optional<String> defaultRetention(Tx tx) {
    return tx.handle()
        .createQuery("select decisions from decision_retention_default where id = 1")
        .mapTo(String.class)
        .findOne();
  }

  static void setDefault(Tx tx, String decisions, Instant at, String by) {
    tx.handle()
        .createUpdate(
            "insert into decision_retention_default (id, decisions, updated_at, updated_by) values"
                + " (1, :d, :t, :b) on conflict (id) do update set decisions = excluded.decisions,"
                + " updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bind("d", decisions)
        .bind("t", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .bind("b", by)
        .execute();
  }

  /** Ids of the first affirming or warning attestation event of each version of the workload. */
  static List<Long> firstEventPerVersion(Tx tx, String workload) {
    return tx.handle()
        .createQuery(
            "select distinct on (version) id from attestation_event where workload = :w and"
                + " version is not null and status in ('affirming', 'warning') order by version,"
                + " at, id")
        .bind("w", workload)
        .mapTo(Long.class)
        .list();
  }

  /**
   * Up to {@code limit} ids of the workload's attestation events before {@code cutoff}, except
   * {@code keep}, oldest first, locked.
   */
  static List<Long> prunableEvents(
      Tx tx, String workload, Instant cutoff, Collection<Long> keep, int limit) {
    return tx.handle()
        .createQuery(
            "select id from attestation_event where workload = :w and at < :c and id <> all(:k)"
                + " order by at, id limit :n for update")
        .bind("w", workload)
        .bind("c", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .bindArray("k", Long.class, List.copyOf(keep))
        .bind("n", limit)
        .mapTo(Long.class)
        .list();
  }

  static long countPrunableEvents(Tx tx, String workload, Instant cutoff, Collection<Long> keep) {
    return tx.handle()
        .createQuery(
            "select count(*) from attestation_event where workload = :w and at < :c and id <>"
                + " all(:k)")
        .bind("w", workload)
        .bind("c", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .bindArray("k", Long.class, List.copyOf(keep))
        .mapTo(Long.class)
        .one();
  }

  static int deleteEvents(Tx tx, Collection<Long> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return tx.handle()
        .createUpdate("delete from attestation_event where id = any(:i)")
        .bindArray("i", Long.class, List.copyOf(ids))
        .execute();
  }

  /**
   * Runs {@code work} while holding the prune lock (a session advisory lock on a connection kept
   * open meanwhile, so a crashed replica releases it); empty when another session holds it.
   */
  static <T> Optional<T> whileLocked(Database database, Supplier<T> work) {
    try (Handle lock = database.jdbi().open()) {
      boolean held =
          lock.createQuery("select pg_try_advisory_lock(:k)")
              .bind("k", PRUNE_LOCK)
              .mapTo(Boolean.class)
              .one();
      if (!held) {
        return Optional.empty();
      }
      try {
        return Optional.of(work.get());
      } finally {
        lock.createQuery("select pg_advisory_unlock(:k)")
            .bind("k", PRUNE_LOCK)
            .mapTo(Boolean.class)
            .one();
      }
    }
  }
}
