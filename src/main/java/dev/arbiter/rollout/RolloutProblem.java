// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.problem.ProblemType;

/** Problems of rollouts and obligations. */
public enum RolloutProblem implements ProblemType {
  ROLLOUT_ACTIVE(409, "The workload already has an active rollout; complete or abort it first."),
  NO_ACTIVE_ROLLOUT(404, "The workload has no active rollout."),
  ROLLOUT_NOT_FOUND(404, "No rollout with this id for the workload."),
  INVALID_TRANSITION(409, "The rollout's state does not allow this transition."),
  INVALID_ROLLOUT(
      400, "A rollout parameter is invalid (deadline, rates, durations, target version)."),
  GATES_FAILED(
      422, "The version fails its supply-chain gates and cannot be staged; the reasons follow."),
  RESTORES_REVOKED_VERSION(
      409,
      "Rolling back would restore a version revoked since the rollout started; use --force with a"
          + " reason."),
  WEBHOOK_NOT_ALLOWED(
      400,
      "The webhook URL is not an allowed target: it must start with a prefix the operator allowed"
          + " (serve --webhook-allow), https only, without userinfo."),
  WAIT_TIMEOUT(408, "The rollout did not reach the awaited state in time.");

  private final int status;
  private final String meaning;

  RolloutProblem(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  @Override
  public String slug() {
    return ProblemType.slugOf(this);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String meaning() {
    return meaning;
  }
}
