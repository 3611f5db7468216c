// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

/**
 * The rows of the seeds' Governance Expectations Summary that Arbiter answers, keyed as the report
 * JSON keys them ({@code "upgrade-7"} for the Upgrade Governance row, the number as a string for
 * the Workload Governance rows), with the seeds' wording.
 */
public enum Expectation {
  UPGRADE_7(
      "upgrade-7",
      "Upgrade Governance 7",
      "Update Verifier policies with new expected Reference Values before deployment begins. Roll"
          + " back this update if the Workload deployment fails for any reason. Remove Verifier"
          + " policies related to older versions(s) of the Workload measurements after the"
          + " deployment of updated Workload is successful."),
  WG_7(
      "7",
      "Workload Governance 7",
      "Update Verifier policies with the Reference Values of newly deployed packages."),
  WG_12(
      "12",
      "Workload Governance 12",
      "Provide evidence of measurements of newly deployed packages being recognized as valid."),
  WG_9(
      "9",
      "Workload Governance 9",
      "Evidence of establishment of and adherence to secure design & development practices"
          + " Evidence of securely managed build environment Evidence of robust supply chain and"
          + " dependency management Evidence of secure integration, configuration and deployment"
          + " practices."),
  WG_14(
      "14",
      "Workload Governance 14",
      "Evidence of establishment of and adherence to secure design & development practices"
          + " Evidence of securely managed build environment Evidence of robust supply chain and"
          + " dependency management Evidence of secure integration, configuration and deployment"
          + " practices."),
  WG_15(
      "15",
      "Workload Governance 15",
      "Evidence of requiring and validating that expectations set out in (9, 14) are satisfied."),
  WG_1(
      "1",
      "Workload Governance 1",
      "Supply accurate and up-to-date component-specific guidance for secure software"
          + " development.");

  private final String key;
  private final String title;
  private final String wording;

  Expectation(String key, String title, String wording) {
    this.key = key;
    this.title = title;
    this.wording = wording;
  }

  /** The key in the report's {@code expectations} object. */
  public String key() {
    return key;
  }

  public String title() {
    return title;
  }

  /** The seed's description of the row, verbatim. */
  public String wording() {
    return wording;
  }

  /**
   * @throws IllegalArgumentException for an unknown key
   */
  public static Expectation ofKey(String key) {
    for (Expectation e : values()) {
      if (e.key.equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown expectation: " + key);
  }
}
