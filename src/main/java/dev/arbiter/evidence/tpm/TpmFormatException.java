// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

/**
 * A TPM structure or input file that does not decode; becomes a typed problem at the scheme edge.
 * {@link #unsupported()} marks well-formed input that uses a structure type or algorithm Arbiter
 * does not accept.
 */
final class TpmFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean unsupported;

  TpmFormatException(String message) {
    this(message, false);
  }

  private TpmFormatException(String message, boolean unsupported) {
    super(message);
    this.unsupported = unsupported;
  }

  static TpmFormatException unsupported(String message) {
    return new TpmFormatException(message, true);
  }

  boolean unsupported() {
    return unsupported;
  }
}
