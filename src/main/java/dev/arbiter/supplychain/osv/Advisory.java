// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.time.Instant;
import java.util.List;

/**
 * One OSV record, ready for matching.
 *
 * @param modified the record's {@code modified} time (Go vulndb repository copies carry {@code
 *     0001-01-01T00:00:00Z})
 * @param withdrawn true when the record has {@code withdrawn}: it is never matched, and adding it
 *     to an {@link AdvisoryIndex} removes an earlier record with the same id
 * @param severity the record-level severity ({@link Severity#UNKNOWN} when none is given)
 */
public record Advisory(
    String id,
    Instant modified,
    List<String> aliases,
    boolean withdrawn,
    List<Affected> affected,
    Severity severity) {
  public Advisory {
    aliases = List.copyOf(aliases);
    affected = List.copyOf(affected);
  }
}
