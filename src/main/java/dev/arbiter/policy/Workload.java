// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A named application deployed as many near-identical instances.
 *
 * @param name unique, lower-case name
 * @param owner who answers for it (team, e-mail)
 * @param objectives control objectives, e.g. {@code {"critical": {"deadline": "PT72H",
 *     "on_deadline": "revoke"}}}
 */
public record Workload(
    String name, String owner, JsonNode objectives, Instant createdAt, String createdBy) {}
