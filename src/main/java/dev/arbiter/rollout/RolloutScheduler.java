// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.auth.Principal;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.store.Tx;
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
 * changing is left for the next tick), so replicas never both act on one rollout and never
 * deadlock. Per tick: STAGED to ROLLING at the first affirming attestation of the new version; the
 * moment every live replica serves the staged revision; auto-abort when the new version's failure
 * rate over the window exceeds the threshold (with a minimum sample); automatic completion once the
 * new version's share of the live fleet reaches the target and the drain period has passed;
 * deadlines (event, webhook, metric, and revocation of the old versions where the objective says
 * revoke); webhook deliveries. Deadlines live in the database, so they survive restarts.
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

  public RolloutScheduler(
      RolloutService rollouts, Webhooks webhooks, Clock clock, Duration liveWindow, Duration tick) {
    this.rollouts = rollouts;
    this.webhooks = webhooks;
    this.clock = clock;
    this.liveWindow = liveWindow;
    this.thread =
        Thread.ofPlatform()
            .name("arbiter-rollout-scheduler")
            .daemon(true)
            .start(() -> {
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
    List<Map.Entry<Long, String>> active = RolloutStore.activeIds(rollouts.database());
    for (Map.Entry<Long, String> entry : active) {
      long id = entry.getKey();
      try {
        rollouts
            .database()
            .useTransaction(tx -> {
              // the lock order of API transitions (workload row, then rollout row), skipping what
              // another transaction holds:
              // waiting for the workload while holding the rollout row would deadlock against a
              // concurrent 'complete'
              if (!PolicyService.tryLock(tx, entry.getValue())) {
                return;
              }
              RolloutStore.tryLockEvaluable(tx, id).ifPresent(rollout -> evaluate(tx, rollout));
            });
      } catch (RuntimeException e) {
        LOG.error("evaluating rollout {} failed", id, e);
      }
    }
    webhooks.deliverDue(rollouts.database(), 20);
  }

  private void evaluate(Tx tx, Rollout rollout) {
    Instant now = clock.instant();
    String workload = rollout.workload();
    if (rollout.stagedLiveAt().isEmpty()
        && rollout.stagedRevision().isPresent()
        && stagedEverywhere(tx, rollout, now)) {
      RolloutStore.setStagedLiveAt(tx, rollout.id(), now);
      rollouts.event(
          tx,
          rollout.id(),
          rollout.state(),
          rollout.state(),
          rollout.stagedRevision().get(),
          SYSTEM,
          "every live replica serves the staged revision",
          Map.of("milestone", "staged_live"));
    }
    long[] window =
        FleetStats.window(tx, workload, rollout.toVersion(), FleetStats.windowStart(rollout, now));
    if (window[0] >= rollout.minSamples()
        && window[1] / (double) window[0] > rollout.maxFailureRate()) {
      String reason =
          String.format(
              java.util.Locale.ROOT,
              "auto-abort: %d of %d attestations of %s failed in the last %ds (max rate %.3f)",
              window[1],
              window[0],
              rollout.toVersion(),
              rollout.failureWindow().toSeconds(),
              rollout.maxFailureRate());
      try {
        rollouts.abort(tx, rollout, SYSTEM, reason, false);
        autoAborts.incrementAndGet();
        LOG.warn("{}: {}", workload, reason);
      } catch (dev.arbiter.problem.ProblemException e) {
        rollouts.event(
            tx,
            rollout.id(),
            rollout.state(),
            rollout.state(),
            null,
            SYSTEM,
            reason + " refused: " + e.problem().detail(),
            Map.of("milestone", "auto-abort-refused"));
      }
      return;
    }
    if (rollout.state() == RolloutState.STAGED) {
      if (FleetStore.attestedSince(tx, workload, rollout.toVersion(), rollout.createdAt())) {
        rollout =
            rollouts.transition(
                tx,
                rollout,
                RolloutState.ROLLING,
                SYSTEM,
                "first affirming attestation of " + rollout.toVersion(),
                Optional.empty(),
                Map.of());
      }
    }
    if (rollout.deadline().isPresent()
        && rollout.deadlineFiredAt().isEmpty()
        && now.isAfter(rollout.deadline().get())) {
      fireDeadline(tx, rollout, now);
      return;
    }
    if (rollout.state() == RolloutState.ROLLING) {
      FleetStats.Live live = FleetStats.live(tx, workload, now, liveWindow);
      double share = live.share(rollout.toVersion());
      if (share >= rollout.minFleetShare()) {
        if (rollout.shareReachedAt().isEmpty()) {
          RolloutStore.setShareReachedAt(tx, rollout.id(), now);
        } else if (!now.isBefore(rollout.shareReachedAt().get().plus(rollout.drain()))) {
          rollouts.complete(
              tx,
              rollout,
              SYSTEM,
              String.format(
                  java.util.Locale.ROOT,
                  "%s reached %.1f%% of the live fleet and the drain period of %ds passed",
                  rollout.toVersion(),
                  share * 100,
                  rollout.drain().toSeconds()),
              false);
        }
      } else if (rollout.shareReachedAt().isPresent()) {
        RolloutStore.clearShareReachedAt(tx, rollout.id());
      }
    }
  }

  private void fireDeadline(Tx tx, Rollout rollout, Instant now) {
    deadlinesFired.incrementAndGet();
    RolloutStore.setDeadlineFiredAt(tx, rollout.id(), now);
    RolloutStore.breachObligations(tx, rollout.id(), now);
    String reason =
        "deadline "
            + rollout.deadline().get()
            + " passed"
            + rollout.objective().map(o -> " (objective " + o + ")").orElse("");
    rollouts.event(
        tx,
        rollout.id(),
        rollout.state(),
        rollout.state(),
        null,
        SYSTEM,
        reason,
        Map.of("milestone", "deadline", "on_deadline", rollout.onDeadline()));
    rollouts
        .audit()
        .append(
            tx,
            SYSTEM,
            "rollout.deadline",
            rollout.workload(),
            reason,
            Optional.empty(),
            Map.of("rollout", rollout.id(), "on_deadline", rollout.onDeadline()));
    if (rollout.webhookUrl().isPresent()) {
      webhooks.enqueue(
          tx,
          rollout.webhookUrl().get(),
          new WebhookEvent.DeadlinePassed(
              rollout.workload(),
              rollout.id(),
              rollout.deadline().get().toString(),
              rollout.onDeadline(),
              now.toString()));
    }
    if (rollout.onDeadline().equals("revoke")) {
      rollouts.complete(tx, rollout, SYSTEM, reason + ": old versions revoked", true);
    }
  }

  /**
   * True when every replica seen recently serves a revision at least as new as the staged one.
   * Freshness is judged with the clock heartbeats are written with, not the database's.
   */
  static boolean stagedEverywhere(Tx tx, Rollout rollout, Instant now) {
    Long stagedSeq =
        PolicyService.revisionByHash(tx, rollout.stagedRevision().get())
            .map(PolicyRevision::seq)
            .orElse(null);
    if (stagedSeq == null) {
      return false;
    }
    List<ReplicaStore.Heartbeat> replicas = ReplicaStore.fresh(tx, now.minus(REPLICA_FRESH));
    if (replicas.isEmpty()) {
      return false;
    }
    for (ReplicaStore.Heartbeat replica : replicas) {
      long served = RolloutService.parse(replica.revisions()).path(rollout.workload()).asLong(-1);
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
