// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.util.Locale;

/** What an attestation does when the log refuses its decision. */
public enum LogMode {
  /** Answer 503 with Retry-After instead of a result the log does not hold (the default). */
  STRICT,
  /** Answer the result anyway and count the decision as dropped. */
  BEST_EFFORT;

  /** {@code strict} or {@code best-effort}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @throws IllegalArgumentException for anything but {@code strict} or {@code best-effort}
   */
  public static LogMode parse(String text) {
    for (LogMode mode : values()) {
      if (mode.label().equals(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("log mode must be strict or best-effort, not " + text);
  }
}
