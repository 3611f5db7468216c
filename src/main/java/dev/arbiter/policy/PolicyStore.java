// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.arbiter.store.Tx;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL of the policy tables: {@code workload}, {@code version}, {@code version_status} and
 * {@code policy_revision}, and the {@value PolicyService#CHANNEL} notification. Every method runs
 * in the caller's transaction; {@link PolicyService} decides what to write.
 */
final class PolicyStore {
  private PolicyStore() {}

  private static final String VERSION_SELECT =
      "select v.*, coalesce(s.revoked, false) as revoked from version v left join version_status s"
          + " on s.workload = v.workload and s.label = v.label";

  // ---- workloads -------------------------------------------------------------------------

  /** Inserts a workload; false when the name is taken. */
  static boolean insertWorkload(
      Tx tx, String name, String owner, String objectives, Instant at, String by) {
    return tx.handle()
            .createUpdate(
                "insert into workload(name, owner, objectives, created_at, created_by) values (:n,"
                    + " :o, :obj, :at, :by) on conflict do nothing")
            .bind("n", name)
            .bind("o", owner)
            .bind("obj", objectives)
            .bind("at", at)
            .bind("by", by)
            .execute()
        > 0;
  }

  /** Sets (null: clears, so the server-wide default applies) the workload's decision retention. */
  static void updateDecisionRetention(Tx tx, String name, String retention) {
    tx.handle()
        .createUpdate("update workload set decision_retention = :r where name = :n")
        .bind("r", retention)
        .bind("n", name)
        .execute();
  }

  static void updateObjectives(Tx tx, String name, String objectives) {
    tx.handle()
        .createUpdate("update workload set objectives = :obj where name = :n")
        .bind("obj", objectives)
        .bind("n", name)
        .execute();
  }

  static List<Workload> workloads(Tx tx) {
    return tx.handle()
        .createQuery("select * from workload order by name")
        .map(PolicyStore::mapWorkload)
        .list();
  }

  static Optional<Workload> workload(Tx tx, String name) {
    return tx.handle()
        .createQuery("select * from workload where name = :n")
        .bind("n", name)
        .map(PolicyStore::mapWorkload)
        .findOne();
  }

  /** Locks the workload row until the transaction ends; false when there is no such workload. */
  static boolean lockWorkload(Tx tx, String name) {
    return tx.handle()
        .createQuery("select name from workload where name = :n for update")
        .bind("n", name)
        .mapTo(String.class)
        .findOne()
        .isPresent();
  }

  /**
   * Locks the workload row unless another transaction holds it; false when locked elsewhere or
   * absent.
   */
  static boolean tryLockWorkload(Tx tx, String name) {
    return tx.handle()
        .createQuery("select name from workload where name = :w for update skip locked")
        .bind("w", name)
        .mapTo(String.class)
        .findOne()
        .isPresent();
  }

  private static Workload mapWorkload(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Workload(
        rs.getString("name"),
        rs.getString("owner"),
        PolicyService.parse(rs.getString("objectives")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        Optional.ofNullable(rs.getString("decision_retention")).map(Retention::parse));
  }

  // ---- versions --------------------------------------------------------------------------

  static Optional<Version> findVersion(Tx tx, String workload, String label) {
    return tx.handle()
        .createQuery(VERSION_SELECT + " where v.workload = :w and v.label = :l")
        .bind("w", workload)
        .bind("l", label)
        .map(PolicyStore::mapVersion)
        .findOne();
  }

  static List<Version> versions(Tx tx, String workload) {
    return tx.handle()
        .createQuery(VERSION_SELECT + " where v.workload = :w order by v.created_at, v.label")
        .bind("w", workload)
        .map(PolicyStore::mapVersion)
        .list();
  }

  static void insertVersion(
      Tx tx, String workload, String label, String content, String hash, Instant at, String by) {
    tx.handle()
        .createUpdate(
            "insert into version(workload, label, content, content_hash, created_at, created_by)"
                + " values (:w, :l, :c, :h, :at, :by)")
        .bind("w", workload)
        .bind("l", label)
        .bind("c", content)
        .bind("h", hash)
        .bind("at", at)
        .bind("by", by)
        .execute();
    tx.handle()
        .createUpdate("insert into version_status(workload, label) values (:w, :l)")
        .bind("w", workload)
        .bind("l", label)
        .execute();
  }

  /** Marks a version revoked (at the database's time) or not revoked. */
  static void setRevoked(Tx tx, String workload, String label, boolean revoked, String reason) {
    tx.handle()
        .createUpdate(
            "update version_status set revoked = :r, revoked_at = case when :r then now() else null"
                + " end, revoked_reason = :why where workload = :w and label = :l")
        .bind("r", revoked)
        .bind("why", reason)
        .bind("w", workload)
        .bind("l", label)
        .execute();
  }

  /** Marks a version revoked at {@code at}. */
  static void revokeAt(Tx tx, String workload, String label, String reason, Instant at) {
    tx.handle()
        .execute(
            "update version_status set revoked = true, revoked_at = ?, revoked_reason = ? where"
                + " workload = ? and label = ?",
            at,
            reason,
            workload,
            label);
  }

  private static Version mapVersion(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Version(
        rs.getString("workload"),
        rs.getString("label"),
        PolicyService.parse(rs.getString("content")),
        rs.getString("content_hash"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        rs.getBoolean("revoked"));
  }

  // ---- revisions -------------------------------------------------------------------------

  static void insertRevision(
      Tx tx,
      String workload,
      long seq,
      String hash,
      String prev,
      String body,
      String keyId,
      String signature,
      Instant at) {
    tx.handle()
        .createUpdate(
            "insert into policy_revision(workload, seq, hash, prev, body, key_id, signature) values"
                + " (:w, :s, :h, :p, :b, :k, :sig)")
        .bind("w", workload)
        .bind("s", seq)
        .bind("h", hash)
        .bind("p", prev)
        .bind("b", body)
        .bind("k", keyId)
        .bind("sig", signature)
        .execute();
    LogStore.append(tx, List.of(LogEntry.policyRevision(workload, seq, hash, at)), at);
  }

  /**
   * Tells every replica's policy cache that {@code workload}'s policy changed (delivered at
   * commit).
   */
  static void notifyChanged(Tx tx, String workload) {
    tx.handle().execute("select pg_notify('" + PolicyService.CHANNEL + "', ?)", workload);
  }

  static Optional<PolicyRevision> head(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from policy_revision where workload = :w order by seq desc limit 1")
        .bind("w", workload)
        .map(PolicyStore::mapRevision)
        .findOne();
  }

  static List<PolicyRevision> revisions(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from policy_revision where workload = :w order by seq")
        .bind("w", workload)
        .map(PolicyStore::mapRevision)
        .list();
  }

  /** The revisions of {@code workload} after {@code seq}, oldest first. */
  static List<PolicyRevision> revisionsAfter(Tx tx, String workload, long seq) {
    return tx.handle()
        .createQuery("select * from policy_revision where workload = :w and seq > :s order by seq")
        .bind("w", workload)
        .bind("s", seq)
        .map(PolicyStore::mapRevision)
        .list();
  }

  static Optional<PolicyRevision> revision(Tx tx, String workload, long seq) {
    return tx.handle()
        .createQuery("select * from policy_revision where workload = :w and seq = :s")
        .bind("w", workload)
        .bind("s", seq)
        .map(PolicyStore::mapRevision)
        .findOne();
  }

  static Optional<PolicyRevision> revisionByHash(Tx tx, String hash) {
    return tx.handle()
        .createQuery("select * from policy_revision where hash = :h")
        .bind("h", hash)
        .map(PolicyStore::mapRevision)
        .findOne();
  }

  static List<PolicyRevision> heads(Tx tx) {
    return tx.handle()
        .createQuery(
            "select distinct on (workload) * from policy_revision order by workload, seq desc")
        .map(PolicyStore::mapRevision)
        .list();
  }

  private static PolicyRevision mapRevision(ResultSet rs, StatementContext ctx)
      throws SQLException {
    return new PolicyRevision(
        rs.getString("workload"),
        rs.getLong("seq"),
        rs.getString("hash"),
        rs.getString("prev"),
        PolicyService.parse(rs.getString("body")),
        rs.getString("key_id"),
        rs.getString("signature"));
  }
}
