// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import java.util.Optional;

/** Intel's TCB level statuses (TCB Info v3, QE Identity v2), by their JSON spelling. */
public enum TcbStatus {
  UP_TO_DATE("UpToDate"),
  SW_HARDENING_NEEDED("SWHardeningNeeded"),
  CONFIGURATION_NEEDED("ConfigurationNeeded"),
  CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded"),
  OUT_OF_DATE("OutOfDate"),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded"),
  REVOKED("Revoked");

  private final String json;

  TcbStatus(String json) {
    this.json = json;
  }

  /** The spelling used in collateral and in the {@code tcb_status} claim. */
  public String json() {
    return json;
  }

  static Optional<TcbStatus> parse(String text) {
    for (TcbStatus status : values()) {
      if (status.json.equals(text)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }

  /**
   * Intel's convergence of a platform status with an OutOfDate / Revoked QE or TDX module status
   * (QVL {@code convergeTcbStatusWithQeTcbStatus}, {@code convergeTcbStatusWithTdxModuleStatus}).
   */
  TcbStatus convergeWith(TcbStatus other) {
    if (other == REVOKED) {
      return REVOKED;
    }
    if (other == OUT_OF_DATE || other == OUT_OF_DATE_CONFIGURATION_NEEDED) {
      return switch (this) {
        case UP_TO_DATE, SW_HARDENING_NEEDED -> OUT_OF_DATE;
        case CONFIGURATION_NEEDED, CONFIGURATION_AND_SW_HARDENING_NEEDED ->
            OUT_OF_DATE_CONFIGURATION_NEEDED;
        default -> this;
      };
    }
    return this;
  }
}
