// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.retention;

import dev.arbiter.problem.ProblemType;

/** Problems of decision retention and pruning. */
public enum RetentionProblem implements ProblemType {
  PRUNE_IN_PROGRESS(
      409,
      "Another prune of decision records is running (on this or another replica); retry later.");

  private final int status;
  private final String meaning;

  RetentionProblem(int status, String meaning) {
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
