// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** One recorded step of a rollout (a state change or a milestone such as {@code staged_live}). */
public record RolloutEvent(
    String at,
    @JsonProperty("from_state") String fromState,
    @JsonProperty("to_state") String toState,
    String revision,
    String principal,
    String reason,
    JsonNode details) {}
