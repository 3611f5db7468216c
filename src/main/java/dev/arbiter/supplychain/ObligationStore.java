// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rows of the {@code obligation} table of kind {@code vulnerability}: the phase-out obligations the
 * {@link Monitor} opens for accepted versions that became vulnerable (in the caller's transaction).
 * Rollout-deadline obligations in the same table belong to {@code rollout}.
 */
final class ObligationStore {
  private ObligationStore() {}

  /** An open vulnerability obligation, locked for update. */
  record Open(
      long id, String workload, String version, Instant dueAt, String action, JsonNode details) {}

  /** A vulnerability obligation as the status report lists it. */
  record Listed(
      @JsonProperty("id") long id,
      @JsonProperty("version") String version,
      @JsonProperty("class") String objectiveClass,
      @JsonProperty("due_at") String dueAt,
      @JsonProperty("action") String action,
      @JsonProperty("state") String state,
      @JsonProperty("details") JsonNode details) {}

  /** The open obligation of a version, locked for update. */
  static Optional<Open> openFor(Tx tx, String workload, String version) {
    return tx.handle()
        .createQuery(
            "select * from obligation where workload = :w and version = :v and kind ="
                + " 'vulnerability' and state = 'open' for update")
        .bind("w", workload)
        .bind("v", version)
        .map((rs, ctx) -> open(rs))
        .findOne();
  }

  /**
   * The obligation if it is still open, locked for update (skipped when another replica holds it).
   */
  static Optional<Open> lockOpen(Tx tx, long id) {
    return tx.handle()
        .createQuery(
            "select * from obligation where id = :id and state = 'open' for update skip locked")
        .bind("id", id)
        .map((rs, ctx) -> open(rs))
        .findOne();
  }

  /** Ids of every open vulnerability obligation. */
  static List<Long> openIds(Tx tx) {
    return tx.handle()
        .createQuery("select id from obligation where kind = 'vulnerability' and state = 'open'")
        .mapTo(Long.class)
        .list();
  }

  static void setOsvIds(Tx tx, long id, Set<String> osvIds) {
    tx.handle().execute("update obligation set details = ? where id = ?", details(osvIds), id);
  }

  /** Opens a vulnerability obligation; returns its id. */
  static long insert(
      Tx tx,
      String workload,
      String version,
      String objectiveClass,
      Instant due,
      String action,
      Set<String> osvIds,
      Instant now) {
    return tx.handle()
        .createUpdate(
            "insert into obligation(workload, version, kind, class, due_at, action, state, details,"
                + " created_at) values (:w, :v, 'vulnerability', :class, :due, :action, 'open',"
                + " :details, :now)")
        .bind("w", workload)
        .bind("v", version)
        .bind("class", objectiveClass)
        .bind("due", due)
        .bind("action", action)
        .bind("details", details(osvIds))
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** Resolves an obligation as {@code met} or {@code breached}. */
  static void resolve(Tx tx, long id, String state, Instant now) {
    tx.handle()
        .execute("update obligation set state = ?, resolved_at = ? where id = ?", state, now, id);
  }

  /** The latest 100 vulnerability obligations of a workload, newest first. */
  static List<Listed> list(Tx tx, String workload) {
    return tx.handle()
        .createQuery(
            "select id, version, class, due_at, action, state, details from obligation "
                + "where workload = :w and kind = 'vulnerability' order by id desc limit 100")
        .bind("w", workload)
        .map((rs, ctx) ->
            new Listed(
                rs.getLong("id"),
                rs.getString("version"),
                rs.getString("class"),
                rs.getTimestamp("due_at").toInstant().toString(),
                rs.getString("action"),
                rs.getString("state"),
                SupplyChainStore.json(rs.getString("details"))))
        .list();
  }

  private static Open open(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Open(
        rs.getLong("id"),
        rs.getString("workload"),
        rs.getString("version"),
        rs.getTimestamp("due_at").toInstant(),
        rs.getString("action"),
        SupplyChainStore.json(rs.getString("details")));
  }

  private static String details(Set<String> osvIds) {
    return Json.write(java.util.Map.of("osv_ids", osvIds));
  }
}
