// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the charts draw: policy revisions (with the versions each accepts) over time, the first
 * attestation of each version, and per rollout the fleet share of each version over time.
 */
public record Timelines(
    @JsonProperty("revisions") List<RevisionPoint> revisions,
    @JsonProperty("first_attestations") List<VersionPoint> firstAttestations,
    @JsonProperty("rollouts") List<RolloutShares> rollouts) {

  /** A revision: when, its sequence number and the versions it accepts. */
  public record RevisionPoint(
      @JsonProperty("at") String at,
      @JsonProperty("seq") long seq,
      @JsonProperty("accepted") List<String> accepted) {}

  /** The first affirming attestation of a version. */
  public record VersionPoint(
      @JsonProperty("at") String at, @JsonProperty("version") String version) {}

  /** One rollout and the fleet share of each version in consecutive buckets. */
  public record RolloutShares(
      @JsonProperty("rollout") long rollout,
      @JsonProperty("to") String to,
      @JsonProperty("state") String state,
      @JsonProperty("from") String from,
      @JsonProperty("until") String until,
      @JsonProperty("shares") List<Share> shares) {}

  /**
   * The share (0..1) of live, verified instances that attested as {@code version} at {@code at}.
   */
  public record Share(
      @JsonProperty("at") String at,
      @JsonProperty("version") String version,
      @JsonProperty("share") double share) {}
}
