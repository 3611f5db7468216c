// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.policy.RecentAppraisals;

/**
 * Feeds {@link RecentAppraisals} (the sample dry runs of proposed appraisal policies read) from the
 * decision stream: each decision that reached the appraisal policy, with what the policy saw and
 * what happened. Put it after the transparency log's sink, so a decision the log vetoed (whose
 * result never left) is not kept. Non-blocking (an in-memory map update).
 */
public final class RecentAppraisalsFeed implements DecisionSink {
  private final RecentAppraisals recent;

  public RecentAppraisalsFeed(RecentAppraisals recent) {
    this.recent = recent;
  }

  @Override
  public void accept(Decision decision) {
    if (decision.appraised() == null) {
      return;
    }
    recent.record(
        decision.workload(),
        new RecentAppraisals.Sample(
            decision.at(),
            decision.instanceId(),
            decision.policyRevision(),
            decision.appraised(),
            decision.verdict() != Decision.Verdict.REFUSED,
            decision.verdict().label(),
            decision.problem()));
  }
}
