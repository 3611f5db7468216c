// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.List;
import java.util.Set;

/**
 * One {@code affected[]} entry.
 *
 * @param ecosystem the index key of the ecosystem ({@link Ecosystems#key}), or {@code GIT} for an
 *     entry without a package
 * @param name the package name normalised like SBOM names ({@code Purls.normalizeName}); for {@code
 *     GIT} the repository name {@code host/owner/repo}
 * @param ranges usable ranges (invalid ones were dropped with a note)
 * @param versions the explicit {@code versions} list
 * @param severity this entry's severity, or null to use the advisory's
 */
public record Affected(
    String ecosystem,
    String name,
    List<AffectedRange> ranges,
    Set<String> versions,
    Severity severity) {
  public Affected {
    ranges = List.copyOf(ranges);
    versions = Set.copyOf(versions);
  }
}
