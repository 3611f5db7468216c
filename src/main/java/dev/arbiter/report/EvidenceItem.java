// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.tlog.InclusionProof;

/**
 * One piece of evidence a row cites: what it is ({@code kind}: {@code policy_revision}, {@code
 * decision}, {@code audit_record}, {@code rollout}, {@code version}, {@code finding}, {@code
 * obligation}, {@code advisory}, {@code document}, {@code setting}), which record ({@code ref}),
 * when, a one-line summary, and for records that are leaves of the transparency log their leaf
 * index and inclusion proof against the report's checkpoint.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvidenceItem(
    @JsonProperty("kind") String kind,
    @JsonProperty("ref") String ref,
    @JsonProperty("at") String at,
    @JsonProperty("summary") String summary,
    @JsonProperty("leaf_index") Long leafIndex,
    @JsonProperty("proof") InclusionProof proof,
    @JsonProperty("details") JsonNode details) {}
