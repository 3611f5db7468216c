// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.core;

import java.util.Map;
import java.util.Objects;

/**
 * One subject of an in-toto Statement.
 *
 * @param name the informational name (may be null: v1 subjects need no name)
 * @param digest the DigestSet, algorithm to value (lowercase hex for hash algorithms), in input
 *     order
 */
public record Subject(String name, Map<String, String> digest) {
  public Subject {
    Objects.requireNonNull(digest, "digest");
    digest = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(digest));
  }
}
