// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.store.Tx;
import java.util.List;

/**
 * Decides whether a version may be staged (supply-chain gates: provenance, reproducibility quorum,
 * vulnerabilities). Runs inside the rollout's transaction.
 */
@FunctionalInterface
public interface VersionGate {
  /** Every reason the version is not admissible; empty when it is. */
  List<String> failures(Tx tx, String workload, String version);

  static VersionGate none() {
    return (tx, workload, version) -> List.of();
  }
}
