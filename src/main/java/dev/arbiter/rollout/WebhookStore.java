// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Instant;
import java.util.List;

/** The SQL of {@code webhook_delivery}: the queue of signed notifications and their attempts. */
final class WebhookStore {
  private WebhookStore() {}

  /** A delivery to attempt. */
  record Due(long id, String url, String body, String signature, int attempts) {}

  static void enqueue(Tx tx, String url, String body, String signature, Instant at) {
    tx.handle()
        .createUpdate(
            "insert into webhook_delivery(url, body, signature, next_attempt_at, created_at) values"
                + " (:u, :b, :s, :at, :at)")
        .bind("u", url)
        .bind("b", body)
        .bind("s", signature)
        .bind("at", at)
        .execute();
  }

  /**
   * Claims up to {@code limit} due deliveries (fewer than {@code maxAttempts} attempts, due by
   * {@code now}) until {@code claimUntil}, so another replica does not send them concurrently.
   */
  static List<Due> claimDue(
      Database database, int maxAttempts, Instant now, int limit, Instant claimUntil) {
    return database.inTransaction(tx -> {
      List<Due> rows =
          tx.handle()
              .createQuery(
                  "select id, url, body, signature, attempts from webhook_delivery where"
                      + " delivered_at is null and attempts < :max and next_attempt_at <= :now"
                      + " order by id limit :limit for update skip locked")
              .bind("max", maxAttempts)
              .bind("now", now)
              .bind("limit", limit)
              .map((rs, ctx) ->
                  new Due(
                      rs.getLong("id"),
                      rs.getString("url"),
                      rs.getString("body"),
                      rs.getString("signature"),
                      rs.getInt("attempts")))
              .list();
      for (Due row : rows) {
        tx.handle()
            .execute(
                "update webhook_delivery set next_attempt_at = ? where id = ?",
                claimUntil,
                row.id());
      }
      return rows;
    });
  }

  static void delivered(Database database, long id, Instant at) {
    database
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update webhook_delivery set delivered_at = ?, attempts = attempts + 1 where id ="
                    + " ?",
                at,
                id));
  }

  static void failed(Database database, long id, Instant nextAttempt, String error) {
    database
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update webhook_delivery set attempts = attempts + 1, next_attempt_at = ?,"
                    + " last_error = ? where id = ?",
                nextAttempt,
                error,
                id));
  }

  /** Gives up on a delivery for good (its target is no longer allowed): never sent. */
  static void refused(Database database, long id, int maxAttempts, String error) {
    database
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update webhook_delivery set attempts = ?, last_error = ? where id = ?",
                maxAttempts,
                error,
                id));
  }
}
