// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The typed rollout reports and webhook events keep the JSON field names, order and nulls of the
 * API.
 */
class RolloutViewsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Rollout rollout() {
    return new Rollout(
        7,
        "payments",
        List.of("A"),
        "B",
        RolloutState.STAGED,
        Optional.empty(),
        Optional.of(T0.plusSeconds(3600)),
        "escalate",
        0.05,
        20,
        Duration.ofMinutes(5),
        1.0,
        Duration.ZERO,
        Optional.empty(),
        Optional.of("abc"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        T0,
        "pipeline:ci",
        "release B",
        T0);
  }

  private static List<String> fields(Object value) throws IOException {
    JsonNode node = Json.readTree(Json.write(value));
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void rolloutView_keepsEveryFieldInOrder_withNulls() throws IOException {
    RolloutReports.RolloutView view = RolloutReports.RolloutView.of(rollout(), T0.plusSeconds(600));
    assertThat(fields(view))
        .containsExactly(
            "id",
            "workload",
            "state",
            "from",
            "to",
            "objective",
            "deadline",
            "deadline_left_s",
            "on_deadline",
            "max_failure_rate",
            "min_samples",
            "failure_window_s",
            "min_fleet_share",
            "drain_s",
            "webhook",
            "staged_revision",
            "staged_live_at",
            "share_reached_at",
            "final_revision",
            "deadline_fired_at",
            "created_at",
            "created_by",
            "reason",
            "updated_at");
    JsonNode json = Json.readTree(Json.write(view));
    assertThat(json.path("deadline_left_s").asLong()).isEqualTo(3000);
    assertThat(json.path("objective").isNull()).isTrue();
    assertThat(json.path("webhook").isNull()).isTrue();
    assertThat(json.path("failure_window_s").asLong()).isEqualTo(300);
  }

  @Test
  void rolloutDetail_unwrapsTheRolloutAndAppendsEvents() throws IOException {
    RolloutReports.RolloutDetail detail =
        new RolloutReports.RolloutDetail(
            RolloutReports.RolloutView.of(rollout(), T0),
            List.of(
                new RolloutEvent(
                    T0.toString(),
                    null,
                    "PLANNED",
                    null,
                    "pipeline:ci",
                    "release B",
                    Json.mapper().createObjectNode())));
    List<String> names = fields(detail);
    assertThat(names.getFirst()).isEqualTo("id");
    assertThat(names.getLast()).isEqualTo("events");
    assertThat(fields(detail.events().getFirst()))
        .containsExactly(
            "at", "from_state", "to_state", "revision", "principal", "reason", "details");
  }

  @Test
  void status_withoutRollout_leavesOutFailuresShareAndReplicas() throws IOException {
    RolloutReports.Status status =
        new RolloutReports.Status(
            "payments",
            null,
            new RolloutReports.Fleet(600, 0, new java.util.LinkedHashMap<>(), T0.toString()),
            null,
            null,
            null,
            List.of());
    assertThat(fields(status)).containsExactly("workload", "rollout", "fleet", "obligations");
  }

  @Test
  void webhookEvents_nameTheirKindFirst() throws IOException {
    assertThat(
            fields(
                new WebhookEvent.StateChanged(
                    "payments", 7, "PLANNED", "STAGED", "B", null, "pipeline:ci", "release", "t")))
        .containsExactly(
            "event",
            "workload",
            "rollout",
            "from_state",
            "state",
            "to_version",
            "revision",
            "principal",
            "reason",
            "at");
    JsonNode deadline =
        Json.readTree(
            Json.write(new WebhookEvent.DeadlinePassed("payments", 7, "d", "revoke", "t")));
    assertThat(deadline.path("event").asText()).isEqualTo("rollout.deadline");
    assertThat(fields(new WebhookEvent.DeadlinePassed("payments", 7, "d", "revoke", "t")))
        .first()
        .isEqualTo("event");
  }
}
