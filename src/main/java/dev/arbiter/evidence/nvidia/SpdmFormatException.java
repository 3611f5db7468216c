// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

/**
 * GPU evidence that does not decode; becomes a typed problem at the scheme edge. {@link
 * #unsupported()} marks well-formed input with a version or architecture Arbiter does not accept.
 */
final class SpdmFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean unsupported;

  SpdmFormatException(String message) {
    this(message, false);
  }

  private SpdmFormatException(String message, boolean unsupported) {
    super(message);
    this.unsupported = unsupported;
  }

  static SpdmFormatException unsupported(String message) {
    return new SpdmFormatException(message, true);
  }

  boolean unsupported() {
    return unsupported;
  }
}
