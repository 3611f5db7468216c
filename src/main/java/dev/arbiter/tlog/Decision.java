// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An attestation decision as logged (the body of a {@link LogEntry.Kind#DECISION} leaf). The
 * evidence itself is not logged, only its SHA-256; {@code matchedVersion} is null when no accepted
 * version matched.
 *
 * @param time when the decision was made
 * @param workload the workload name
 * @param instanceId the attesting instance
 * @param format the evidence format (e.g. {@code tdx}, {@code sev-snp})
 * @param evidenceSha256 lowercase hex SHA-256 of the evidence as received
 * @param matchedVersion the accepted version whose reference values matched, or null
 * @param policyRevision the hash of the policy revision used
 * @param verdict the verdict (e.g. the EAR status)
 * @param reasons why, in order
 * @param jti the {@code jti} of the issued EAR, for lookup
 */
public record Decision(
    @JsonProperty(value = "time", required = true) Instant time,
    @JsonProperty(value = "workload", required = true) String workload,
    @JsonProperty(value = "instance_id", required = true) String instanceId,
    @JsonProperty(value = "format", required = true) String format,
    @JsonProperty(value = "evidence_sha256", required = true) String evidenceSha256,
    @JsonProperty("matched_version") String matchedVersion,
    @JsonProperty(value = "policy_revision", required = true) String policyRevision,
    @JsonProperty(value = "verdict", required = true) String verdict,
    @JsonProperty(value = "reasons", required = true) List<String> reasons,
    @JsonProperty(value = "jti", required = true) String jti) {
  public Decision {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(policyRevision, "policyRevision");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(jti, "jti");
    if (!isLowerHexSha256(evidenceSha256)) {
      throw new IllegalArgumentException("evidence_sha256 must be 64 lowercase hex digits");
    }
    if (jti.isEmpty()) {
      throw new IllegalArgumentException("empty jti");
    }
    reasons = List.copyOf(reasons);
  }

  /** 64 lowercase hex digits (a loop: this runs once per attestation). */
  private static boolean isLowerHexSha256(String text) {
    if (text == null || text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
