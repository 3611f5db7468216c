// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.policy.AppraisalInput;
import dev.arbiter.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One appraisal decision, as the transparency log, the fleet record and the metrics see it: every
 * attestation that reached the pipeline yields exactly one (requests refused at the edge as
 * malformed, and attestations for unknown workloads, yield none).
 *
 * @param at when the decision was taken (the appraiser's clock)
 * @param workload the workload named by the request
 * @param instanceId the instance id named by the request (validated at the edge)
 * @param format the CPU evidence format as sent (may name no registered scheme when refused)
 * @param evidenceSha256 lowercase hex SHA-256 of the CPU evidence bytes
 * @param version the matched version, or null when none matched before the decision
 * @param policyRevision the hash of the policy revision the decision used
 * @param verdict affirming, warning or refused
 * @param reasons why it was refused (the problems, first the appraisal problem); empty otherwise
 * @param earId the EAR's {@code jti}, or null when refused
 * @param evidenceVerified true when the nonce was accepted and the evidence verified (signature,
 *     chain, binding): only such decisions may update fleet state and failure rates
 * @param elapsed how long the appraisal took (metrics)
 * @param appraised what the appraisal policy saw, when the attempt reached it (null otherwise); in
 *     memory only, for dry runs of proposed policies ({@link RecentAppraisalsFeed}): never logged,
 *     serialized or stored
 */
public record Decision(
    @JsonProperty("at") Instant at,
    @JsonProperty("workload") String workload,
    @JsonProperty("instance_id") String instanceId,
    @JsonProperty("format") String format,
    @JsonProperty("evidence_sha256") String evidenceSha256,
    @JsonProperty("version") String version,
    @JsonProperty("policy_revision") String policyRevision,
    @JsonProperty("verdict") Verdict verdict,
    @JsonProperty("reasons") List<Reason> reasons,
    @JsonProperty("ear_id") String earId,
    @JsonProperty("evidence_verified") boolean evidenceVerified,
    @JsonProperty("elapsed") Duration elapsed,
    @JsonIgnore AppraisalInput appraised) {

  /** A decision that did not reach the appraisal policy (or whose input is not kept). */
  public Decision(
      Instant at,
      String workload,
      String instanceId,
      String format,
      String evidenceSha256,
      String version,
      String policyRevision,
      Verdict verdict,
      List<Reason> reasons,
      String earId,
      boolean evidenceVerified,
      Duration elapsed) {
    this(
        at,
        workload,
        instanceId,
        format,
        evidenceSha256,
        version,
        policyRevision,
        verdict,
        reasons,
        earId,
        evidenceVerified,
        elapsed,
        null);
  }

  public Decision {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(evidenceSha256, "evidenceSha256");
    Objects.requireNonNull(policyRevision, "policyRevision");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(elapsed, "elapsed");
    reasons = List.copyOf(reasons);
    if ((verdict == Verdict.REFUSED) != (earId == null)) {
      throw new IllegalArgumentException("an EAR id exactly when not refused");
    }
    if ((verdict == Verdict.REFUSED) == reasons.isEmpty()) {
      throw new IllegalArgumentException("reasons exactly when refused");
    }
  }

  /** The outcome of an appraisal. */
  public enum Verdict {
    AFFIRMING,
    WARNING,
    REFUSED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One reason for a refusal: a registered problem slug and its detail. */
  public record Reason(
      @JsonProperty("problem") String problem, @JsonProperty("detail") String detail) {
    public static Reason of(Problem problem) {
      return new Reason(problem.type().slug(), problem.detail());
    }
  }

  /** The first reason's problem slug, or null when not refused. */
  public String problem() {
    return reasons.isEmpty() ? null : reasons.get(0).problem();
  }
}
