// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A named application deployed as many near-identical instances.
 *
 * @param name unique, lower-case name
 * @param owner who answers for it (team, e-mail)
 * @param objectives control objectives, e.g. {@code {"critical": {"deadline": "PT72H",
 *     "on_deadline": "revoke"}}}
 * @param decisionRetention how long its decision records are kept; empty: the server-wide default
 */
public record Workload(
    String name,
    String owner,
    JsonNode objectives,
    Instant createdAt,
    String createdBy,
    Optional<Retention> decisionRetention) {
  public Workload {
    java.util.Objects.requireNonNull(decisionRetention, "decisionRetention");
  }
}
