// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet figures of {@code rollout status} (live instances per version, failure windows) at
 * fleet scale: aggregating 100,000 instance rows costs tens of milliseconds, so each replica
 * computes them at most about once per {@link #FRESH} per workload and answers from memory in
 * between, refreshing in the background (stale-while-revalidate; never older than {@link
 * #MAX_AGE}). Many {@code --watch} clients thus cost one aggregate per second, and status answers
 * in milliseconds. The rollout row, replicas and obligations are always read fresh; the snapshot's
 * time is reported as {@code fleet.as_of}. Thread-safe.
 */
final class FleetSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSnapshots.class);
  static final Duration FRESH = Duration.ofSeconds(1);
  static final Duration MAX_AGE = Duration.ofSeconds(5);

  /** Figures for one workload and rollout, computed at {@code at}. */
  record Snapshot(String key, Instant at, FleetStats.Live live, Map<String, long[]> failures) {}

  private final Database database;
  private final Clock clock;
  private final Duration liveWindow;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

  FleetSnapshots(Database database, Clock clock, Duration liveWindow) {
    this.database = database;
    this.clock = clock;
    this.liveWindow = liveWindow;
  }

  Snapshot get(Tx tx, String workload, Optional<Rollout> rollout) {
    String key = rollout.map(r -> Long.toString(r.id())).orElse("");
    Snapshot cached = snapshots.get(workload);
    if (cached != null && cached.key().equals(key)) {
      Duration age = Duration.between(cached.at(), clock.instant());
      if (age.compareTo(MAX_AGE) < 0) {
        if (age.compareTo(FRESH) >= 0 && refreshing.add(workload)) {
          Thread.ofVirtual()
              .name("arbiter-fleet-snapshot")
              .start(() -> {
                try {
                  database.useTransaction(
                      fresh -> store(workload, compute(fresh, workload, rollout, key)));
                } catch (RuntimeException e) {
                  LOG.warn("refreshing the fleet figures of {} failed: {}", workload, e.toString());
                } finally {
                  refreshing.remove(workload);
                }
              });
        }
        return cached;
      }
    }
    return store(workload, compute(tx, workload, rollout, key));
  }

  private Snapshot store(String workload, Snapshot snapshot) {
    return snapshots.merge(
        workload,
        snapshot,
        (old, fresh) ->
            old.at().isAfter(fresh.at()) && old.key().equals(fresh.key()) ? old : fresh);
  }

  private Snapshot compute(Tx tx, String workload, Optional<Rollout> rollout, String key) {
    Instant now = clock.instant();
    FleetStats.Live live = FleetStats.live(tx, workload, now, liveWindow);
    Map<String, long[]> failures = new LinkedHashMap<>();
    if (rollout.isPresent()) {
      List<String> tracked = new ArrayList<>(rollout.get().fromVersions());
      tracked.add(rollout.get().toVersion());
      for (String version : tracked) {
        failures.put(
            version,
            FleetStats.window(tx, workload, version, FleetStats.windowStart(rollout.get(), now)));
      }
    }
    return new Snapshot(key, now, live, failures);
  }
}
