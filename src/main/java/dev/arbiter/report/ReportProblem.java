// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import dev.arbiter.problem.ProblemType;

/** Problems of governance reports and evidence exports. */
public enum ReportProblem implements ProblemType {
  REPORT_RANGE_INVALID(
      400, "from and to must be RFC 3339 instants with from <= to (to defaults to now)."),
  REPORT_WORKLOAD_REQUIRED(400, "The workload query parameter is required."),
  SCHEDULE_INVALID(
      400, "An export schedule needs a workload, a positive ISO-8601 period and a directory.");

  private final int status;
  private final String meaning;

  ReportProblem(int status, String meaning) {
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
