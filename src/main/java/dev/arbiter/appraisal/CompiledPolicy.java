// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.ReferenceValues;
import java.util.List;
import java.util.Optional;

/**
 * A workload's current policy revision, prepared for the hot path: accepted versions with parsed
 * reference values and precomputed configuration digests, and the compiled appraisal policy.
 * Immutable.
 */
public record CompiledPolicy(
    String workload,
    long seq,
    String revisionHash,
    List<AcceptedVersion> versions,
    Optional<CelPolicy> appraisal) {

  /**
   * @param configurationSha256 SHA-256 of the JCS form of the version's configuration object
   * @param configurationSha384 SHA-384 of the same (for 48-byte fields such as TDX mr_config_id)
   * @param vulnerabilities OSV ids of known vulnerabilities in the version's SBOM (verifier
   *     hygiene)
   */
  public record AcceptedVersion(
      String label,
      String contentHash,
      ReferenceValues referenceValues,
      Optional<byte[]> configurationSha256,
      Optional<byte[]> configurationSha384,
      List<String> vulnerabilities) {}
}
