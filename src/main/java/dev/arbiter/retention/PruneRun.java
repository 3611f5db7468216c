// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What one prune of one workload did (or, with {@code dry_run}, would do).
 *
 * @param retention the workload's effective retention
 * @param cutoff records appended before it are past retention (null: kept forever, nothing done)
 * @param decisionsPruned decision leaves whose body was removed
 * @param attestationEventsDeleted fleet attestation events deleted
 * @param keptFirstDecisions first decisions per version kept for the governance report
 * @param auditRecords the seqs of the {@code decisions.prune} records, one per batch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "workload",
  "retention",
  "cutoff",
  "dry_run",
  "decisions_pruned",
  "attestation_events_deleted",
  "kept_first_decisions",
  "audit_records"
})
public record PruneRun(
    @JsonProperty("workload") String workload,
    @JsonProperty("retention") String retention,
    @JsonProperty("cutoff") String cutoff,
    @JsonProperty("dry_run") boolean dryRun,
    @JsonProperty("decisions_pruned") long decisionsPruned,
    @JsonProperty("attestation_events_deleted") long attestationEventsDeleted,
    @JsonProperty("kept_first_decisions") long keptFirstDecisions,
    @JsonProperty("audit_records") List<Long> auditRecords) {
  public PruneRun {
    auditRecords = List.copyOf(auditRecords);
  }
}
