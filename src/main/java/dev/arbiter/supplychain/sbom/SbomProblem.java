// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import dev.arbiter.problem.ProblemType;

/** Why an SBOM was refused or could not be tied to a version. */
public enum SbomProblem implements ProblemType {
  SBOM_MALFORMED(
      422, "The SBOM is not JSON or a field has the wrong type or value for its format."),
  SBOM_UNSUPPORTED_FORMAT(
      422,
      "The document is neither CycloneDX JSON, SPDX JSON nor an in-toto Statement with an SBOM"
          + " predicate."),
  SBOM_UNSUPPORTED_VERSION(
      422, "The SBOM's spec version is not supported (CycloneDX 1.2 to 1.6, SPDX 2.2 and 2.3)."),
  SBOM_NOT_BOUND(
      422, "The SBOM's subject digests do not include the artifact digest of the version.");

  private final int status;
  private final String meaning;

  SbomProblem(int status, String meaning) {
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
