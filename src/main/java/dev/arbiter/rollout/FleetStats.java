// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Fleet figures read from the fleet tables (never on the appraisal path). */
final class FleetStats {
  private FleetStats() {}

  /** Live instances (attested within {@code live}) per version; key "" for no matched version. */
  record Live(Map<String, Long> ok, Map<String, Long> failed, long total) {
    double share(String version) {
      return total == 0 ? 0 : ok.getOrDefault(version, 0L) / (double) total;
    }
  }

  static Live live(Tx tx, String workload, Instant now, Duration live) {
    return FleetStore.live(tx, workload, now.minus(live));
  }

  /**
   * Where a rollout's failure window starts: {@code failureWindow} ago, but never before the
   * rollout began (attestations of an earlier, aborted rollout of the same version must not count).
   */
  static Instant windowStart(Rollout rollout, Instant now) {
    Instant start = now.minus(rollout.failureWindow());
    return start.isBefore(rollout.createdAt()) ? rollout.createdAt() : start;
  }

  /** Attestations of {@code version} in the window: {total, failed}. */
  static long[] window(Tx tx, String workload, String version, Instant since) {
    return FleetStore.window(tx, workload, version, since);
  }
}
