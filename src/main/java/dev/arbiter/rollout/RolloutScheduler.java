// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.auth.Principal;
import dev.arbiter.internal.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives rollouts forward from fleet data, on every replica, safely: each rollout is evaluated in
 * its own transaction with its workload and rollout rows locked in that order, the order API
 * transitions use ({@code FOR UPDATE SKIP LOCKED}: a rollout another replica or a pipeline call is
 * changing is left for the next tick), so replicas never both act on one rollout and never deadlock. Per tick: STAGED to ROLLING at the first affirming attestation of the new
 * version; the moment every live replica serves the staged revision; auto-abort when the new
 * version's failure rate over the window exceeds the threshold (with a minimum sample); automatic
 * completion once the new version's share of the live fleet reaches the target and the drain period
 * has passed; deadlines (event, webhook, metric, and revocation of the old versions where the
 * objective says revoke); webhook deliveries. Deadlines live in the database, so they survive
 * restarts.
 */
public final class RolloutScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutScheduler.class);
  static final Duration REPLICA_FRESH = Duration.ofSeconds(10);
  private static final Principal SYSTEM = Principal.system("rollout-scheduler");

  private final RolloutService rollouts;
  private final Webhooks webhooks;
  private final Clock clock;
  private final Duration liveWindow;
  private final Thread thread;
  private final AtomicLong deadlinesFired = new AtomicLong();
  private final AtomicLong autoAborts = new AtomicLong();
  private volatile boolean running = true;

  public RolloutScheduler(RolloutService rollouts, Webhooks webhooks, Clock clock, Duration liveWindow, Duration tick) {
    this.rollouts = rollouts;
    this.webhooks = webhooks;
    this.clock = clock;
    this.liveWindow = liveWindow;
    this.thread = Thread.ofPlatform().name("arbiter-rollout-scheduler").daemon(true).start(() -> {
      while (running) {
        try {
          Thread.sleep(tick.toMillis());
          tick();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.error("rollout scheduler tick failed", e);
        }
      }
    });
  }

  public long deadlinesFired() {
    return deadlinesFired.get();
  }

  public long autoAborts() {
    return autoAborts.get();
  }

  public Duration liveWindow() {
    return liveWindow;
  }

  /** One pass over every active rollout, then due webhooks. */
  public void tick() {
    List<Map.Entry<Long, String>> active = rollouts.jdbi().withHandle(h -> h.createQuery(
            "select id, workload from rollout where state in ('PLANNED','STAGED','ROLLING')")
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("workload"))).list());
    for (Map.Entry<Long, String> entry : active) {
      long id = entry.getKey();
      try {
        rollouts.inTransaction(handle -> {
          // the lock order of API transitions (workload row, then rollout row), skipping what another transaction holds:
          // waiting for the workload while holding the rollout row would deadlock against a concurrent 'complete'
          boolean workload = handle.createQuery("select name from workload where name = :w for update skip locked")
              .bind("w", entry.getValue()).mapTo(String.class).findOne().isPresent();
          if (!workload) {
            return null;
          }
          Optional<Rollout> locked = handle.createQuery("select * from rollout where id = :id and state in ('STAGED','ROLLING') for update skip locked")
              .bind("id", id).map(RolloutService::map).findOne();
          locked.ifPresent(rollout -> evaluate(handle, rollout));
          return null;
        });
      } catch (RuntimeException e) {
        LOG.error("evaluating rollout {} failed", id, e);
      }
    }
    webhooks.deliverDue(rollouts.jdbi(), 20);
  }

  private void evaluate(org.jdbi.v3.core.Handle handle, Rollout rollout) {
    Instant now = clock.instant();
    String workload = rollout.workload();
    if (rollout.stagedLiveAt().isEmpty() && rollout.stagedRevision().isPresent() && stagedEverywhere(handle, rollout, now)) {
      handle.execute("update rollout set staged_live_at = ? where id = ?", now, rollout.id());
      rollouts.event(handle, rollout.id(), rollout.state(), rollout.state(), rollout.stagedRevision().get(), SYSTEM,
          "every live replica serves the staged revision", Map.of("milestone", "staged_live"));
    }
    long[] window = FleetStats.window(handle, workload, rollout.toVersion(), FleetStats.windowStart(rollout, now));
    if (window[0] >= rollout.minSamples() && window[1] / (double) window[0] > rollout.maxFailureRate()) {
      String reason = String.format(java.util.Locale.ROOT, "auto-abort: %d of %d attestations of %s failed in the last %ds (max rate %.3f)",
          window[1], window[0], rollout.toVersion(), rollout.failureWindow().toSeconds(), rollout.maxFailureRate());
      try {
        rollouts.abort(handle, rollout, SYSTEM, reason, false);
        autoAborts.incrementAndGet();
        LOG.warn("{}: {}", workload, reason);
      } catch (dev.arbiter.problem.ProblemException e) {
        rollouts.event(handle, rollout.id(), rollout.state(), rollout.state(), null, SYSTEM, reason + " refused: " + e.problem().detail(),
            Map.of("milestone", "auto-abort-refused"));
      }
      return;
    }
    if (rollout.state() == RolloutState.STAGED) {
      boolean attested = handle.createQuery("select exists(select 1 from attestation_event where workload = :w and version = :v "
              + "and status in ('affirming','warning') and at >= :since)")
          .bind("w", workload).bind("v", rollout.toVersion()).bind("since", rollout.createdAt()).mapTo(Boolean.class).one();
      if (attested) {
        rollout = rollouts.transition(handle, rollout, RolloutState.ROLLING, SYSTEM, "first affirming attestation of " + rollout.toVersion(),
            Optional.empty(), Map.of());
      }
    }
    if (rollout.deadline().isPresent() && rollout.deadlineFiredAt().isEmpty() && now.isAfter(rollout.deadline().get())) {
      fireDeadline(handle, rollout, now);
      return;
    }
    if (rollout.state() == RolloutState.ROLLING) {
      FleetStats.Live live = FleetStats.live(handle, workload, now, liveWindow);
      double share = live.share(rollout.toVersion());
      if (share >= rollout.minFleetShare()) {
        if (rollout.shareReachedAt().isEmpty()) {
          handle.execute("update rollout set share_reached_at = ? where id = ?", now, rollout.id());
        } else if (!now.isBefore(rollout.shareReachedAt().get().plus(rollout.drain()))) {
          rollouts.complete(handle, rollout, SYSTEM, String.format(java.util.Locale.ROOT,
              "%s reached %.1f%% of the live fleet and the drain period of %ds passed", rollout.toVersion(), share * 100,
              rollout.drain().toSeconds()), false);
        }
      } else if (rollout.shareReachedAt().isPresent()) {
        handle.execute("update rollout set share_reached_at = null where id = ?", rollout.id());
      }
    }
  }

  private void fireDeadline(org.jdbi.v3.core.Handle handle, Rollout rollout, Instant now) {
    deadlinesFired.incrementAndGet();
    handle.execute("update rollout set deadline_fired_at = ? where id = ?", now, rollout.id());
    handle.execute("update obligation set state = 'breached', resolved_at = ? where rollout_id = ? and state = 'open'", now, rollout.id());
    String reason = "deadline " + rollout.deadline().get() + " passed" + rollout.objective().map(o -> " (objective " + o + ")").orElse("");
    rollouts.event(handle, rollout.id(), rollout.state(), rollout.state(), null, SYSTEM, reason,
        Map.of("milestone", "deadline", "on_deadline", rollout.onDeadline()));
    rollouts.audit().append(handle, SYSTEM, "rollout.deadline", rollout.workload(), reason, Optional.empty(),
        Map.of("rollout", rollout.id(), "on_deadline", rollout.onDeadline()));
    if (rollout.webhookUrl().isPresent()) {
      webhooks.enqueue(handle, rollout.webhookUrl().get(), Map.of("event", "rollout.deadline", "workload", rollout.workload(), "rollout",
          rollout.id(), "deadline", rollout.deadline().get().toString(), "on_deadline", rollout.onDeadline(), "at", now.toString()));
    }
    if (rollout.onDeadline().equals("revoke")) {
      rollouts.complete(handle, rollout, SYSTEM, reason + ": old versions revoked", true);
    }
  }

  /**
   * True when every replica seen recently serves a revision at least as new as the staged one.
   * Freshness is judged with the clock heartbeats are written with, not the database's.
   */
  static boolean stagedEverywhere(org.jdbi.v3.core.Handle handle, Rollout rollout, Instant now) {
    Long stagedSeq = handle.createQuery("select seq from policy_revision where hash = :h").bind("h", rollout.stagedRevision().get())
        .mapTo(Long.class).findOne().orElse(null);
    if (stagedSeq == null) {
      return false;
    }
    List<String> revisions = handle.createQuery("select revisions from replica_heartbeat where seen_at > :since")
        .bind("since", now.minus(REPLICA_FRESH)).mapTo(String.class).list();
    if (revisions.isEmpty()) {
      return false;
    }
    for (String json : revisions) {
      long served = RolloutService.parse(json).path(rollout.workload()).asLong(-1);
      if (served < stagedSeq) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  static String json(Object value) {
    return Json.write(value);
  }
}
