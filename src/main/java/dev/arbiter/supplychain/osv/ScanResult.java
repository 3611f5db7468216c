// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.problem.Problem;
import java.util.List;

/**
 * Findings of one SBOM scan, sorted by purl then advisory id, one per (purl, version, advisory).
 *
 * @param notes components that have advisories for their package but whose version could not be
 *     ordered ({@link AdvisoryProblem#COMPONENT_VERSION_INVALID}): ranges were not evaluated for
 *     them
 */
public record ScanResult(int components, List<Finding> findings, List<Problem> notes) {
  public ScanResult {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }
}
