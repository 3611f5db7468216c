// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL of the rollout tables: {@code rollout}, {@code rollout_event} and the rollout-deadline
 * rows of {@code obligation}. Every method runs in the caller's transaction; {@link RolloutService}
 * and {@link RolloutScheduler} decide what to write.
 */
final class RolloutStore {
  private static final String ACTIVE = "state in ('PLANNED','STAGED','ROLLING')";

  private RolloutStore() {}

  // ---- rollouts ----------------------------------------------------------------------------

  /** Inserts a PLANNED rollout and returns its id. */
  static long insert(
      Tx tx,
      RolloutService.StartRequest request,
      List<String> from,
      String to,
      Optional<Instant> deadline,
      String onDeadline,
      Instant now,
      String by) {
    return tx.handle()
        .createUpdate(
            "insert into rollout(workload, from_versions, to_version, state, objective, deadline,"
                + " on_deadline, max_failure_rate, min_samples, failure_window_s, min_fleet_share,"
                + " drain_s, webhook_url, created_at, created_by, reason, updated_at) values (:w,"
                + " :from, :to, 'PLANNED', :objective, :deadline, :on, :rate, :samples, :window,"
                + " :share, :drain, :hook, :now, :by, :reason, :now)")
        .bind("w", request.workload())
        .bind("from", Json.write(from))
        .bind("to", to)
        .bind("objective", request.objective().orElse(null))
        .bind("deadline", deadline.orElse(null))
        .bind("on", onDeadline)
        .bind("rate", request.maxFailureRate())
        .bind("samples", request.minSamples())
        .bind("window", request.failureWindow().toSeconds())
        .bind("share", request.minFleetShare())
        .bind("drain", request.drain().toSeconds())
        .bind("hook", request.webhookUrl().orElse(null))
        .bind("now", now)
        .bind("by", by)
        .bind("reason", request.reason())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Sets the state; {@code revisionColumn} (staged_revision or final_revision) too when {@code
   * revision} is present.
   */
  static void setState(
      Tx tx,
      long id,
      RolloutState state,
      Instant now,
      String revisionColumn,
      Optional<String> revision) {
    tx.handle()
        .createUpdate(
            "update rollout set state = :state, updated_at = :now"
                + (revision.isPresent() ? ", " + revisionColumn + " = :rev" : "")
                + " where id = :id")
        .bind("state", state.name())
        .bind("now", now)
        .bind("rev", revision.orElse(null))
        .bind("id", id)
        .execute();
  }

  static void setStagedLiveAt(Tx tx, long id, Instant at) {
    tx.handle().execute("update rollout set staged_live_at = ? where id = ?", at, id);
  }

  static void setShareReachedAt(Tx tx, long id, Instant at) {
    tx.handle().execute("update rollout set share_reached_at = ? where id = ?", at, id);
  }

  static void clearShareReachedAt(Tx tx, long id) {
    tx.handle().execute("update rollout set share_reached_at = null where id = ?", id);
  }

  static void setDeadlineFiredAt(Tx tx, long id, Instant at) {
    tx.handle().execute("update rollout set deadline_fired_at = ? where id = ?", at, id);
  }

  static Optional<Rollout> active(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from rollout where workload = :w and " + ACTIVE)
        .bind("w", workload)
        .map(RolloutStore::map)
        .findOne();
  }

  /** The active rollout, its row locked (take the workload lock first). */
  static Optional<Rollout> lockActive(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from rollout where workload = :w and " + ACTIVE + " for update")
        .bind("w", workload)
        .map(RolloutStore::map)
        .findOne();
  }

  /** A STAGED or ROLLING rollout, its row locked, unless another transaction holds it. */
  static Optional<Rollout> tryLockEvaluable(Tx tx, long id) {
    return tx.handle()
        .createQuery(
            "select * from rollout where id = :id and state in ('STAGED','ROLLING') for update skip"
                + " locked")
        .bind("id", id)
        .map(RolloutStore::map)
        .findOne();
  }

  /** Id and workload of every active rollout. */
  static List<Map.Entry<Long, String>> activeIds(Database database) {
    return database
        .jdbi()
        .withHandle(h ->
            h.createQuery("select id, workload from rollout where " + ACTIVE)
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("workload")))
                .list());
  }

  static Optional<Rollout> get(Tx tx, String workload, long id) {
    return tx.handle()
        .createQuery("select * from rollout where workload = :w and id = :id")
        .bind("w", workload)
        .bind("id", id)
        .map(RolloutStore::map)
        .findOne();
  }

  static Optional<Rollout> latest(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from rollout where workload = :w order by id desc limit 1")
        .bind("w", workload)
        .map(RolloutStore::map)
        .findOne();
  }

  static List<Rollout> list(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from rollout where workload = :w order by id")
        .bind("w", workload)
        .map(RolloutStore::map)
        .list();
  }

  private static Rollout map(ResultSet rs, StatementContext ctx) throws SQLException {
    List<String> from = new ArrayList<>();
    RolloutService.parse(rs.getString("from_versions")).forEach(node -> from.add(node.asText()));
    return new Rollout(
        rs.getLong("id"),
        rs.getString("workload"),
        List.copyOf(from),
        rs.getString("to_version"),
        RolloutState.valueOf(rs.getString("state")),
        Optional.ofNullable(rs.getString("objective")),
        instant(rs, "deadline"),
        rs.getString("on_deadline"),
        rs.getDouble("max_failure_rate"),
        rs.getInt("min_samples"),
        Duration.ofSeconds(rs.getLong("failure_window_s")),
        rs.getDouble("min_fleet_share"),
        Duration.ofSeconds(rs.getLong("drain_s")),
        Optional.ofNullable(rs.getString("webhook_url")),
        Optional.ofNullable(rs.getString("staged_revision")),
        instant(rs, "staged_live_at"),
        instant(rs, "share_reached_at"),
        Optional.ofNullable(rs.getString("final_revision")),
        instant(rs, "deadline_fired_at"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        rs.getString("reason"),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    var value = rs.getTimestamp(column);
    return value == null ? Optional.empty() : Optional.of(value.toInstant());
  }

  // ---- events ------------------------------------------------------------------------------

  static void insertEvent(
      Tx tx,
      long id,
      Instant at,
      RolloutState from,
      RolloutState to,
      String revision,
      String principal,
      String reason,
      String details) {
    tx.handle()
        .createUpdate(
            "insert into rollout_event(rollout_id, at, from_state, to_state, revision, principal,"
                + " reason, details) values (:id, :at, :from, :to, :rev, :who, :reason, :details)")
        .bind("id", id)
        .bind("at", at)
        .bind("from", from == null ? null : from.name())
        .bind("to", to.name())
        .bind("rev", revision)
        .bind("who", principal)
        .bind("reason", reason)
        .bind("details", details)
        .execute();
  }

  static List<RolloutEvent> events(Tx tx, long rolloutId) {
    return tx.handle()
        .createQuery("select * from rollout_event where rollout_id = :id order by id")
        .bind("id", rolloutId)
        .map((rs, ctx) ->
            new RolloutEvent(
                rs.getTimestamp("at").toInstant().toString(),
                rs.getString("from_state"),
                rs.getString("to_state"),
                rs.getString("revision"),
                rs.getString("principal"),
                rs.getString("reason"),
                RolloutService.parse(rs.getString("details"))))
        .list();
  }

  // ---- obligations -------------------------------------------------------------------------

  static void insertDeadlineObligation(
      Tx tx,
      String workload,
      String version,
      Optional<String> objective,
      Instant due,
      String action,
      long rolloutId,
      String details,
      Instant now) {
    tx.handle()
        .createUpdate(
            "insert into obligation(workload, version, kind, class, due_at, action, state,"
                + " rollout_id, details, created_at) values (:w, :v, 'rollout-deadline', :class,"
                + " :due, :action, 'open', :id, :details, :now)")
        .bind("w", workload)
        .bind("v", version)
        .bind("class", objective.orElse(null))
        .bind("due", due)
        .bind("action", action)
        .bind("id", rolloutId)
        .bind("details", details)
        .bind("now", now)
        .execute();
  }

  /** The rollout's open obligations are met (the rollout ended). */
  static void resolveObligations(Tx tx, long rolloutId, Instant at) {
    tx.handle()
        .execute(
            "update obligation set state = case when state = 'open' then 'met' else state end,"
                + " resolved_at = ? where rollout_id = ? and resolved_at is null",
            at,
            rolloutId);
  }

  /** The rollout's open obligations are breached (its deadline passed). */
  static void breachObligations(Tx tx, long rolloutId, Instant at) {
    tx.handle()
        .execute(
            "update obligation set state = 'breached', resolved_at = ? where rollout_id = ? and"
                + " state = 'open'",
            at,
            rolloutId);
  }

  /** The latest 100 obligations of a workload (every kind), newest first. */
  static List<RolloutReports.Obligation> obligations(Tx tx, String workload) {
    return tx.handle()
        .createQuery("select * from obligation where workload = :w order by id desc limit 100")
        .bind("w", workload)
        .map((rs, ctx) ->
            new RolloutReports.Obligation(
                rs.getLong("id"),
                rs.getString("version"),
                rs.getString("kind"),
                rs.getString("class"),
                rs.getTimestamp("due_at").toInstant().toString(),
                rs.getString("action"),
                rs.getString("state"),
                (Long) rs.getObject("rollout_id"),
                RolloutService.parse(rs.getString("details"))))
        .list();
  }
}
