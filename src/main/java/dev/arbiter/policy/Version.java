// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One immutable build of a workload.
 *
 * @param content the canonical content: {@code reference_values}, {@code artifact_digest}, {@code
 *     provenance}, {@code sbom}
 * @param contentHash hex SHA-256 of the content's RFC 8785 form
 * @param revoked status metadata (not content): the version was revoked, so a rollback may not
 *     restore it without force
 */
public record Version(
    String workload,
    String label,
    JsonNode content,
    String contentHash,
    Instant createdAt,
    String createdBy,
    boolean revoked) {

  public ReferenceValues referenceValues() {
    return new ReferenceValues(
        (com.fasterxml.jackson.databind.node.ObjectNode) content.get("reference_values"));
  }
}
