// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Decides whether a version may be staged (supply-chain gates: provenance, reproducibility quorum,
 * vulnerabilities). Runs inside the rollout's transaction.
 */
@FunctionalInterface
public interface VersionGate {
  /** Every reason the version is not admissible; empty when it is. */
  List<String> failures(Handle handle, String workload, String version);

  static VersionGate none() {
    return (handle, workload, version) -> List.of();
  }
}
