// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral;

import dev.arbiter.problem.ProblemType;

/** Why a collateral import was refused (the evidence problems of each file follow). */
public enum CollateralProblem implements ProblemType {
  COLLATERAL_REJECTED(
      422, "A collateral import was refused as a whole; the problems of each file follow."),
  COLLATERAL_UNRECOGNIZED(
      422, "A file is not collateral that any enabled evidence scheme recognizes.");

  private final int status;
  private final String meaning;

  CollateralProblem(int status, String meaning) {
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
