// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

/**
 * An event log that does not decode; becomes a typed problem at the scheme edge ({@code
 * evidence-malformed}, or {@code unsupported-version} when {@link #unsupported()}).
 */
final class EventLogException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean unsupported;

  EventLogException(String message) {
    this(message, false);
  }

  private EventLogException(String message, boolean unsupported) {
    super(message);
    this.unsupported = unsupported;
  }

  static EventLogException unsupported(String message) {
    return new EventLogException(message, true);
  }

  boolean unsupported() {
    return unsupported;
  }
}
