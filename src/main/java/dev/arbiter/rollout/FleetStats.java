// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Fleet figures read from the fleet tables (never on the appraisal path). */
final class FleetStats {
  private FleetStats() {}

  /** Live instances (attested within {@code live}) per version; key "" for no matched version. */
  record Live(Map<String, Long> ok, Map<String, Long> failed, long total) {
    double share(String version) {
      return total == 0 ? 0 : ok.getOrDefault(version, 0L) / (double) total;
    }
  }

  static Live live(Handle handle, String workload, Instant now, Duration live) {
    Map<String, Long> ok = new LinkedHashMap<>();
    Map<String, Long> failed = new LinkedHashMap<>();
    long[] total = {0};
    handle.createQuery("select coalesce(version, '') as version, status = 'failed' as failed, count(*) as n from fleet_instance "
            + "where workload = :w and last_seen > :since group by 1, 2 order by 1")
        .bind("w", workload).bind("since", now.minus(live))
        .map((rs, ctx) -> {
          (rs.getBoolean("failed") ? failed : ok).put(rs.getString("version"), rs.getLong("n"));
          total[0] += rs.getLong("n");
          return null;
        }).list();
    return new Live(ok, failed, total[0]);
  }

  /**
   * Where a rollout's failure window starts: {@code failureWindow} ago, but never before the rollout
   * began (attestations of an earlier, aborted rollout of the same version must not count).
   */
  static Instant windowStart(Rollout rollout, Instant now) {
    Instant start = now.minus(rollout.failureWindow());
    return start.isBefore(rollout.createdAt()) ? rollout.createdAt() : start;
  }

  /** Attestations of {@code version} in the window: {total, failed}. */
  static long[] window(Handle handle, String workload, String version, Instant since) {
    return handle.createQuery("select count(*) as total, count(*) filter (where status = 'failed') as failed from attestation_event "
            + "where workload = :w and version = :v and at > :since")
        .bind("w", workload).bind("v", version).bind("since", since)
        .map((rs, ctx) -> new long[] {rs.getLong("total"), rs.getLong("failed")}).one();
  }
}
