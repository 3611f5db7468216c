// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

/** Collateral that cannot be decoded (reported as COLLATERAL_MALFORMED). */
final class CollateralFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  CollateralFormatException(String message) {
    super(message, null, false, false);
  }
}
