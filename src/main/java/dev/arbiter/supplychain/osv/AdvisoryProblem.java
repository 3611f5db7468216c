// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.problem.ProblemType;

/**
 * Problems with OSV advisories and with matching them. {@link #ADVISORY_MALFORMED} refuses a whole
 * import; the others are notes: the affected part is skipped and the rest is used.
 */
public enum AdvisoryProblem implements ProblemType {
  ADVISORY_MALFORMED(
      422,
      "An OSV record is not JSON, lacks id/modified, or has a field of the wrong type; the import"
          + " is refused."),
  ADVISORY_UNKNOWN_ECOSYSTEM(
      422,
      "An affected package's ecosystem has no supported version ordering; its ECOSYSTEM ranges are"
          + " skipped."),
  ADVISORY_INVALID_RANGE(
      422,
      "A range has an unknown type, no introduced event, no repo (GIT) or a version its ordering"
          + " rejects; it is skipped."),
  ADVISORY_INVALID_SEVERITY(422, "A severity entry is not a valid CVSS vector; it is ignored."),
  COMPONENT_VERSION_INVALID(
      422,
      "A component's version is not valid under its ecosystem's ordering, so ranges were not"
          + " evaluated for it.");

  private final int status;
  private final String meaning;

  AdvisoryProblem(int status, String meaning) {
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
