// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

/**
 * Feeds the fleet record from the decision stream, counting only attempts whose evidence was
 * verified (the nonce was accepted and the evidence's signature, chain and binding checked): an
 * attacker without genuine, fresh evidence cannot create instances or move a version's failure
 * rate. Unverified attempts are only counted ({@link #unverified()}). Non-blocking.
 */
public final class FleetFeed implements DecisionSink {
  private final FleetRecorder fleet;
  private final java.util.concurrent.atomic.AtomicLong unverified =
      new java.util.concurrent.atomic.AtomicLong();

  public FleetFeed(FleetRecorder fleet) {
    this.fleet = fleet;
  }

  @Override
  public void accept(Decision decision) {
    if (!decision.evidenceVerified()) {
      unverified.incrementAndGet();
      return;
    }
    String status =
        decision.verdict() == Decision.Verdict.REFUSED ? "failed" : decision.verdict().label();
    fleet.record(
        new FleetRecorder.Event(
            decision.at(),
            decision.workload(),
            decision.instanceId(),
            decision.format(),
            decision.version(),
            status,
            decision.problem(),
            decision.policyRevision()));
  }

  /** Attempts not recorded because their evidence was not verified. */
  public long unverified() {
    return unverified.get();
  }
}
