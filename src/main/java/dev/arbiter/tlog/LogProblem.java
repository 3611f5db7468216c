// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.problem.ProblemType;

/** Problems of the transparency log's routes and of attestations the log could not record. */
public enum LogProblem implements ProblemType {
  LOG_UNAVAILABLE(
      503,
      "The transparency log cannot accept the decision right now (queue full or closing); retry"
          + " after Retry-After."),
  CHECKPOINT_UNAVAILABLE(503, "The transparency log has not signed a checkpoint yet."),
  DECISION_NOT_LOGGED(
      404,
      "No decision with this jti is covered by the latest signed checkpoint (yet: decisions are"
          + " checkpointed within seconds)."),
  TREE_SIZE_INVALID(400, "The tree sizes are not numbers with 0 <= from <= to <= the log's size.");

  private final int status;
  private final String meaning;

  LogProblem(int status, String meaning) {
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
