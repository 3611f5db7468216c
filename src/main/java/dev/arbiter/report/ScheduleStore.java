// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import dev.arbiter.store.Tx;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code export_schedule} table (migration V11). */
final class ScheduleStore {
  private ScheduleStore() {}

  static void upsert(
      Tx tx, String workload, long everyS, String directory, Instant next, Instant now, String by) {
    tx.handle()
        .execute(
            "insert into export_schedule(workload, every_s, directory, next_run_at, created_at,"
                + " created_by) values (?, ?, ?, ?, ?, ?) on conflict (workload) do update set"
                + " every_s = excluded.every_s, directory = excluded.directory, next_run_at ="
                + " excluded.next_run_at, created_at = excluded.created_at, created_by ="
                + " excluded.created_by",
            workload,
            everyS,
            directory,
            next,
            now,
            by);
  }

  static List<ExportSchedule> list(Tx tx) {
    return tx.handle()
        .createQuery("select * from export_schedule order by workload")
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** The due schedules, locked (others skipped: another replica is running them). */
  static List<ExportSchedule> lockDue(Tx tx, Instant now) {
    return tx.handle()
        .createQuery(
            "select * from export_schedule where next_run_at <= :n order by next_run_at for update"
                + " skip locked")
        .bind("n", now)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  static void ran(Tx tx, String workload, Instant until, Instant next) {
    tx.handle()
        .execute(
            "update export_schedule set last_run_at = ?, next_run_at = ? where workload = ?",
            until,
            next,
            workload);
  }

  private static ExportSchedule map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ExportSchedule(
        rs.getString("workload"),
        rs.getLong("every_s"),
        rs.getString("directory"),
        rs.getTimestamp("next_run_at").toInstant().toString(),
        Optional.ofNullable(rs.getTimestamp("last_run_at"))
            .map(Timestamp::toInstant)
            .map(Instant::toString)
            .orElse(null),
        rs.getTimestamp("created_at").toInstant().toString(),
        rs.getString("created_by"));
  }
}
