// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.appraisal.PolicyCache;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, every interval, which policy revision (sequence number per workload) this replica's
 * cache serves, so {@code rollout wait --state STAGED} can tell when every running replica serves
 * the staged revision. Thread-safe.
 */
public final class ReplicaHeartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaHeartbeat.class);

  private final String replicaId = UUID.randomUUID().toString();
  private final Database database;
  private final PolicyCache cache;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long lastBeatNanos = System.nanoTime();

  public ReplicaHeartbeat(Database database, PolicyCache cache, Clock clock, Duration interval) {
    this.database = database;
    this.cache = cache;
    this.clock = clock;
    beat();
    this.thread =
        Thread.ofPlatform()
            .name("arbiter-heartbeat")
            .daemon(true)
            .start(() -> {
              while (running) {
                try {
                  Thread.sleep(interval.toMillis());
                  beat();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  LOG.warn("heartbeat failed: {}", e.toString());
                }
              }
            });
  }

  public String replicaId() {
    return replicaId;
  }

  void beat() {
    String revisions = Json.write(cache.servedSequences());
    ReplicaStore.beat(database, replicaId, clock.instant(), revisions);
    lastBeatNanos = System.nanoTime();
  }

  /**
   * Time since the last heartbeat this replica wrote (no I/O): a few intervals mean the database is
   * unreachable (readiness reports it without blocking on a connection).
   */
  public Duration sinceLastBeat() {
    return Duration.ofNanos(System.nanoTime() - lastBeatNanos);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      ReplicaStore.remove(database, replicaId);
    } catch (RuntimeException e) {
      // the row ages out by itself
    }
  }
}
