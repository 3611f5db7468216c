// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.rollout.FleetHistoryStore;
import dev.arbiter.supplychain.SupplyChainReadStore;
import dev.arbiter.tlog.InclusionProof;
import java.util.List;

/**
 * Everything a report is computed from, as recorded: the workload's signed policy revisions and
 * audit records up to {@code to} and the first affirming decision of each version (each a leaf of
 * the transparency log, with its inclusion proof against the checkpoint of size {@code
 * checkpoint_size}), the versions, rollouts, findings, obligations and cited advisories, and fleet
 * samples for the charts; {@code pruned_decisions}, when present, counts the workload's decisions
 * appended in the range whose leaf body a retention prune removed (absent: none). An evidence
 * bundle carries this object as {@code records.json}; {@link Evaluator#evaluate} turns it into the
 * report's rows.
 */
public record Records(
    @JsonProperty("workload") String workload,
    @JsonProperty("from") String from,
    @JsonProperty("to") String to,
    @JsonProperty("checkpoint_size") long checkpointSize,
    @JsonProperty("revisions") List<Revision> revisions,
    @JsonProperty("audit") List<Audit> audit,
    @JsonProperty("decisions") List<DecisionLeaf> decisions,
    @JsonProperty("versions") List<VersionRecord> versions,
    @JsonProperty("rollouts") List<RolloutRecord> rollouts,
    @JsonProperty("findings") List<SupplyChainReadStore.Finding> findings,
    @JsonProperty("obligations") List<SupplyChainReadStore.Obligation> obligations,
    @JsonProperty("advisories") List<Advisory> advisories,
    @JsonProperty("fleet") List<FleetSamples> fleet,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("pruned_decisions")
        Long prunedDecisions) {

  /** Records of a workload none of whose decisions in the range were pruned. */
  public Records(
      String workload,
      String from,
      String to,
      long checkpointSize,
      List<Revision> revisions,
      List<Audit> audit,
      List<DecisionLeaf> decisions,
      List<VersionRecord> versions,
      List<RolloutRecord> rollouts,
      List<SupplyChainReadStore.Finding> findings,
      List<SupplyChainReadStore.Obligation> obligations,
      List<Advisory> advisories,
      List<FleetSamples> fleet) {
    this(
        workload,
        from,
        to,
        checkpointSize,
        revisions,
        audit,
        decisions,
        versions,
        rollouts,
        findings,
        obligations,
        advisories,
        fleet,
        null);
  }

  public Records {
    revisions = List.copyOf(revisions);
    audit = List.copyOf(audit);
    decisions = List.copyOf(decisions);
    versions = List.copyOf(versions);
    rollouts = List.copyOf(rollouts);
    findings = List.copyOf(findings);
    obligations = List.copyOf(obligations);
    advisories = List.copyOf(advisories);
    fleet = List.copyOf(fleet);
  }

  /** A signed policy revision: {@code body} is the hashed content (RFC 8785 when serialized). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Revision(
      @JsonProperty("seq") long seq,
      @JsonProperty("hash") String hash,
      @JsonProperty("prev") String prev,
      @JsonProperty("body") JsonNode body,
      @JsonProperty("key_id") String keyId,
      @JsonProperty("signature") String signature,
      @JsonProperty("leaf_index") Long leafIndex,
      @JsonProperty("proof") InclusionProof proof) {}

  /** A signed audit record ({@code body}: seq, prev, at, principal, action, target, ...). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Audit(
      @JsonProperty("seq") long seq,
      @JsonProperty("hash") String hash,
      @JsonProperty("prev") String prev,
      @JsonProperty("body") JsonNode body,
      @JsonProperty("key_id") String keyId,
      @JsonProperty("signature") String signature,
      @JsonProperty("leaf_index") Long leafIndex,
      @JsonProperty("proof") InclusionProof proof) {}

  /** A decision leaf: its index, exact canonical text and inclusion proof. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DecisionLeaf(
      @JsonProperty("leaf_index") long leafIndex,
      @JsonProperty("leaf") String leaf,
      @JsonProperty("proof") InclusionProof proof) {}

  /** A registered version: its immutable content (reference values, provenance, SBOM). */
  public record VersionRecord(
      @JsonProperty("label") String label,
      @JsonProperty("content") JsonNode content,
      @JsonProperty("content_hash") String contentHash,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("revoked") boolean revoked) {}

  /** A rollout's row. */
  public record RolloutRecord(
      @JsonProperty("id") long id,
      @JsonProperty("from") List<String> from,
      @JsonProperty("to") String to,
      @JsonProperty("state") String state,
      @JsonProperty("staged_revision") String stagedRevision,
      @JsonProperty("staged_live_at") String stagedLiveAt,
      @JsonProperty("final_revision") String finalRevision,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("reason") String reason,
      @JsonProperty("updated_at") String updatedAt) {}

  /** An OSV record a finding cites. */
  public record Advisory(@JsonProperty("id") String id, @JsonProperty("body") JsonNode body) {}

  /** Fleet samples during one rollout. */
  public record FleetSamples(
      @JsonProperty("rollout") long rollout,
      @JsonProperty("from") String from,
      @JsonProperty("until") String until,
      @JsonProperty("samples") List<FleetHistoryStore.Sample> samples) {}
}
