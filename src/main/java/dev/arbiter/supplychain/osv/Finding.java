// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.List;

/**
 * One component matched by one advisory.
 *
 * @param purl the component's purl as written in the SBOM
 * @param version the component's version (from the purl, else the component's version field)
 * @param osvId the advisory id
 * @param aliases the advisory's aliases (CVE, GHSA, ...)
 * @param severity the matching entry's severity, else the advisory's
 */
public record Finding(
    String purl, String version, String osvId, List<String> aliases, Severity severity) {
  public Finding {
    aliases = List.copyOf(aliases);
  }
}
