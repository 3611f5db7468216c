// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Objects;

/**
 * One OSV range event: {@code {"introduced": V}}, {@code fixed}, {@code last_affected} or {@code
 * limit}.
 */
public record RangeEvent(Kind kind, String value) {
  public enum Kind {
    INTRODUCED,
    FIXED,
    LAST_AFFECTED,
    LIMIT
  }

  public RangeEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }
}
