// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Instant;
import java.util.List;

/** The SQL of {@code replica_heartbeat}: which policy revision each running replica serves. */
final class ReplicaStore {
  private ReplicaStore() {}

  /**
   * One replica's last heartbeat; {@code revisions} is the JSON object workload to served sequence
   * number.
   */
  record Heartbeat(String replicaId, Instant seenAt, String revisions) {}

  static void beat(Database database, String replicaId, Instant now, String revisions) {
    database
        .jdbi()
        .useHandle(h ->
            h.createUpdate(
                    "insert into replica_heartbeat(replica_id, started_at, seen_at, revisions)"
                        + " values (:id, :now, :now, :rev) on conflict (replica_id) do update set"
                        + " seen_at = excluded.seen_at, revisions = excluded.revisions")
                .bind("id", replicaId)
                .bind("now", now)
                .bind("rev", revisions)
                .execute());
  }

  static void remove(Database database, String replicaId) {
    database
        .jdbi()
        .useHandle(h -> h.execute("delete from replica_heartbeat where replica_id = ?", replicaId));
  }

  /** Heartbeats seen after {@code since}, by replica id. */
  static List<Heartbeat> fresh(Tx tx, Instant since) {
    return tx.handle()
        .createQuery(
            "select replica_id, seen_at, revisions from replica_heartbeat where seen_at > :since"
                + " order by replica_id")
        .bind("since", since)
        .map((rs, ctx) ->
            new Heartbeat(
                rs.getString("replica_id"),
                rs.getTimestamp("seen_at").toInstant(),
                rs.getString("revisions")))
        .list();
  }
}
