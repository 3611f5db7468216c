// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.policy.Workload;
import java.time.Instant;

/**
 * A workload as the API shows it; {@code policy} (the current revision) only on the single-workload
 * route.
 */
record WorkloadView(
    String name,
    String owner,
    JsonNode objectives,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("decision_retention") String decisionRetention,
    @JsonInclude(JsonInclude.Include.NON_NULL) RevisionView policy) {

  static WorkloadView of(Workload workload, RevisionView policy) {
    return new WorkloadView(
        workload.name(),
        workload.owner(),
        workload.objectives(),
        workload.createdAt(),
        workload.createdBy(),
        workload.decisionRetention().map(dev.arbiter.policy.Retention::wire).orElse(null),
        policy);
  }
}
