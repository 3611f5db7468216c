// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The JSON body of a webhook notification; {@code event} names the kind. */
public sealed interface WebhookEvent {
  /** The kind, e.g. {@code rollout.state}. */
  @JsonProperty("event")
  String event();

  /** A rollout changed state. */
  @JsonPropertyOrder({"event"})
  record StateChanged(
      String workload,
      long rollout,
      @JsonProperty("from_state") String fromState,
      String state,
      @JsonProperty("to_version") String toVersion,
      String revision,
      String principal,
      String reason,
      String at)
      implements WebhookEvent {
    @Override
    public String event() {
      return "rollout.state";
    }
  }

  /** A rollout's deadline passed. */
  @JsonPropertyOrder({"event"})
  record DeadlinePassed(
      String workload,
      long rollout,
      String deadline,
      @JsonProperty("on_deadline") String onDeadline,
      String at)
      implements WebhookEvent {
    @Override
    public String event() {
      return "rollout.deadline";
    }
  }
}
