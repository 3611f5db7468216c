// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral;

import dev.arbiter.store.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code collateral} table (in the caller's transaction). */
final class CollateralStore {
  private CollateralStore() {}

  /** One stored file with its bytes, as the integrity check at reload reads it. */
  record Stored(
      long id,
      String format,
      String kind,
      String key,
      String name,
      String sha256,
      byte[] content,
      Instant rank,
      Optional<Instant> nextUpdate) {}

  /** Every stored file with its bytes, oldest import first. */
  static List<Stored> all(Tx tx) {
    return tx.handle()
        .createQuery(
            "select id, format, kind, key, name, sha256, content, next_update, imported_at from"
                + " collateral order by imported_at, id")
        .map((rs, ctx) -> {
          Optional<Instant> next =
              Optional.ofNullable(rs.getTimestamp("next_update"))
                  .map(java.sql.Timestamp::toInstant);
          return new Stored(
              rs.getLong("id"),
              rs.getString("format"),
              rs.getString("kind"),
              rs.getString("key"),
              rs.getString("name"),
              rs.getString("sha256"),
              rs.getBytes("content"),
              next.orElse(rs.getTimestamp("imported_at").toInstant()),
              next);
        })
        .list();
  }

  /**
   * Stores a file unless the same content is stored for the format; returns its id when inserted.
   */
  static Optional<Long> insert(
      Tx tx,
      String format,
      String kind,
      String key,
      String name,
      String sha256,
      byte[] content,
      Optional<Instant> nextUpdate,
      Instant now,
      String principal) {
    return tx.handle()
        .createQuery(
            "insert into collateral(format, kind, key, name, sha256, content, next_update,"
                + " imported_at, imported_by) values (:f, :kind, :key, :name, :sha, :content,"
                + " :next, :now, :by) on conflict (format, sha256) do nothing returning id")
        .bind("f", format)
        .bind("kind", kind)
        .bind("key", key)
        .bind("name", name)
        .bind("sha", sha256)
        .bind("content", content)
        .bind("next", nextUpdate.orElse(null))
        .bind("now", now)
        .bind("by", principal)
        .mapTo(Long.class)
        .findOne();
  }

  /** Every stored file's metadata, by format, kind, key and id. */
  static List<CollateralService.Entry> list(Tx tx) {
    return tx.handle()
        .createQuery(
            "select id, format, kind, key, name, sha256, next_update, imported_at, imported_by from"
                + " collateral order by format, kind, key, id")
        .map((rs, ctx) ->
            new CollateralService.Entry(
                rs.getLong("id"),
                rs.getString("format"),
                rs.getString("kind"),
                rs.getString("key"),
                rs.getString("name"),
                rs.getString("sha256"),
                Optional.ofNullable(rs.getTimestamp("next_update"))
                    .map(java.sql.Timestamp::toInstant),
                rs.getTimestamp("imported_at").toInstant(),
                rs.getString("imported_by")))
        .list();
  }
}
