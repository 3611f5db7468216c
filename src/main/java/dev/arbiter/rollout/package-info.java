// SPDX-License-Identifier: Apache-2.0
/**
 * Rollouts under the Upgrade Governance pattern: staging a new version into the Verifier policy
 * after its gates pass, following the fleet, completing or rolling back, deadlines, signed
 * webhooks, and the read models ({@code rollout status}, governance evidence).
 *
 * <p>Owns the tables {@code rollout}, {@code rollout_event}, {@code webhook_delivery}, {@code
 * replica_heartbeat} and the rollout-deadline rows of {@code obligation}; reads the fleet tables
 * that {@code appraisal.FleetRecorder} writes. SQL lives only in the package-private stores ({@code
 * RolloutStore}, {@code FleetStore}, {@code ReplicaStore}, {@code WebhookStore}). Invariants: every
 * transition is one {@link dev.arbiter.store.Tx} writing the policy revision (through {@code
 * PolicyService}), the rollout row, its event, the audit record and the webhook delivery, or
 * nothing; locks are taken in one order (workload row, then rollout row), and the scheduler skips
 * rows another transaction holds, so replicas never act twice on one rollout nor deadlock.
 *
 * <p>Webhooks go only to targets on the operator's allow-list ({@link
 * dev.arbiter.rollout.WebhookTargets}, {@code serve --webhook-allow}, default none). How a receiver
 * verifies a delivery (key from {@code /.well-known/jwks.json}, {@code typ} {@code
 * arbiter-webhook+jwt}, {@code iat}/{@code exp}, signature over the exact body) is in {@link
 * dev.arbiter.rollout.Webhooks}.
 *
 * <p>May depend on {@code policy}, {@code governance}, {@code appraisal} (the policy cache a
 * heartbeat reports), {@code auth}, {@code store}, {@code crypto}, {@code internal}, {@code
 * problem}. Never on transports.
 */
package dev.arbiter.rollout;
