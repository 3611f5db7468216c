// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.arbiter.problem.ProblemType;

/** Problems of workloads, versions and Verifier policies. */
public enum PolicyProblem implements ProblemType {
  INVALID_NAME(400, "A workload name or version label does not have the allowed form."),
  REASON_REQUIRED(400, "A policy change needs a non-empty reason."),
  WORKLOAD_NOT_FOUND(404, "No workload has this name."),
  WORKLOAD_EXISTS(409, "A workload with this name already exists."),
  VERSION_NOT_FOUND(404, "The workload has no version with this label."),
  VERSION_CONFLICT(
      409, "A version with this label exists with different content; versions are immutable."),
  INVALID_REFERENCE_VALUES(
      400, "The reference-values document is malformed; the detail names the field."),
  INVALID_DIGEST(
      400, "A digest is not of the form sha256:<64 hex> (or sha384:<96 hex> where allowed)."),
  INVALID_CEL(400, "A CEL expression does not compile; the detail has the compiler's message."),
  APPRAISAL_UNKNOWN_CLAIM(
      400,
      "An appraisal policy reads a claim no scheme of the workload's versions (or named in the"
          + " policy) produces; one problem per name, with the nearest known name."),
  REVISION_CONFLICT(409, "The change was based on a policy revision that is no longer current."),
  REVISION_NOT_FOUND(404, "The workload has no policy revision with this number."),
  VERSION_NOT_ACCEPTED(409, "The version is not in the workload's accepted set."),
  VERSION_ALREADY_ACCEPTED(409, "The version is already in the workload's accepted set."),
  INVALID_OBJECTIVES(
      400, "The control objectives document is malformed; the detail names the field."),
  RETENTION_INVALID(
      400,
      "A decision retention is not forever or a duration of at least one day (90d, 36h, P90D,"
          + " PT36H).");

  private final int status;
  private final String meaning;

  PolicyProblem(int status, String meaning) {
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
