// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.policy.PolicyRevision;
import java.util.List;

/**
 * A signed policy revision as the API shows it: chain fields, the accepted labels and the hashed
 * body.
 */
public record RevisionView(
    String workload,
    long seq,
    String hash,
    String prev,
    List<String> accepted,
    @JsonProperty("key_id") String keyId,
    String signature,
    JsonNode body) {

  public static RevisionView of(PolicyRevision revision) {
    return new RevisionView(
        revision.workload(),
        revision.seq(),
        revision.hash(),
        revision.prev(),
        revision.acceptedLabels(),
        revision.keyId(),
        revision.signature(),
        revision.body());
  }
}
