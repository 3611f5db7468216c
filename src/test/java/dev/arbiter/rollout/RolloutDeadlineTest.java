// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Deadlines from control objectives ("all systems must be updated within a given time interval"):
 * {@code revoke} revokes the old version so it stops attesting, {@code escalate} only records and
 * notifies; both leave an event, an audit record and a breached obligation, and survive a restart.
 */
class RolloutDeadlineTest {
  private static final TestServer server =
      TestServer.start(
          config -> config.withDev(true).withWebhookAllow(List.of(TestServer.webhookPrefix())));

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Map<String, Object> objective(String deadline, String action) {
    return Map.of("critical", Map.of("deadline", deadline, "on_deadline", action));
  }

  private static CliRun start(String workload, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "rollout",
                "start",
                "--workload",
                workload,
                "--to",
                "B",
                "--objective",
                "critical",
                "--drain",
                "PT1H",
                "--reason",
                "patch for CVE-2026-0001",
                "--json",
                "--data-dir",
                server.dataDir().toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }

  private static List<JsonNode> audit(String workload, String action) {
    List<JsonNode> out = new ArrayList<>();
    server
        .operator()
        .get("/v1/audit?target=" + workload + "&limit=100")
        .json()
        .path("records")
        .forEach(r -> {
          if (r.path("body").path("action").asText().equals(action)) {
            out.add(r.path("body"));
          }
        });
    return out;
  }

  private static JsonNode obligation(String workload) {
    JsonNode obligations =
        server
            .operator()
            .get("/v1/workloads/" + workload + "/obligations")
            .json()
            .path("obligations");
    assertThat(obligations).hasSize(1);
    return obligations.get(0);
  }

  @Test
  void deadline_revoke_revokesTheOldVersionWhichStopsAttesting() {
    String workload = "dl-revoke";
    RolloutFixture.workload(
        server, workload, Map.of("A", "a3a3", "B", "b3b3"), "A", objective("PT2S", "revoke"));
    start(workload);
    assertThat(obligation(workload).path("state").asText()).isEqualTo("open");
    assertThat(RolloutFixture.attest(server, workload, "a-before", "a3a3", null).status())
        .isEqualTo(200);

    RolloutFixture.await(
        "the deadline fires",
        15_000,
        () -> RolloutFixture.state(server, workload).equals("COMPLETED"));
    assertThat(RolloutFixture.accepted(server, workload)).isEqualTo("[\"B\"]");
    assertThat(
            server
                .operator()
                .get("/v1/workloads/" + workload + "/versions/A")
                .json()
                .path("revoked")
                .asBoolean())
        .isTrue();
    RolloutFixture.awaitServed(
        server.server().services().policyCache(),
        workload,
        RolloutFixture.headSeq(server, workload));
    var refused = RolloutFixture.attest(server, workload, "a-after", "a3a3", null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(RolloutFixture.attest(server, workload, "b-after", "b3b3", null).status())
        .isEqualTo(200);
    assertThat(audit(workload, "rollout.deadline"))
        .singleElement()
        .satisfies(body ->
            assertThat(body.path("principal").asText())
                .isEqualTo("operator:arbiter:rollout-scheduler"));
    assertThat(audit(workload, "rollout.completed")).hasSize(1);
    JsonNode obligation = obligation(workload);
    assertThat(obligation.path("state").asText()).isEqualTo("breached");
    assertThat(obligation.path("action").asText()).isEqualTo("revoke");
    assertThat(obligation.path("class").asText()).isEqualTo("critical");
    assertThat(server.server().services().scheduler().deadlinesFired()).isPositive();
  }

  @Test
  void deadline_escalate_recordsAndNotifiesButRevokesNothing() throws Exception {
    String workload = "dl-escalate";
    RolloutFixture.workload(
        server, workload, Map.of("A", "a4a4", "B", "b4b4"), "A", objective("PT2S", "escalate"));
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      long id = start(workload, "--webhook", receiver.url()).json().path("id").asLong();
      RolloutFixture.await(
          "the deadline fires",
          15_000,
          () ->
              !RolloutFixture.status(server, workload)
                  .path("rollout")
                  .path("deadline_fired_at")
                  .isNull());
      assertThat(RolloutFixture.state(server, workload)).isEqualTo("STAGED");
      assertThat(RolloutFixture.accepted(server, workload)).isEqualTo("[\"A\",\"B\"]");
      assertThat(
              server
                  .operator()
                  .get("/v1/workloads/" + workload + "/versions/A")
                  .json()
                  .path("revoked")
                  .asBoolean())
          .isFalse();
      assertThat(RolloutFixture.attest(server, workload, "a-after", "a4a4", null).status())
          .isEqualTo(200);
      assertThat(audit(workload, "rollout.deadline")).hasSize(1);
      assertThat(obligation(workload).path("state").asText()).isEqualTo("breached");
      JsonNode events =
          server
              .operator()
              .get("/v1/workloads/" + workload + "/rollouts/" + id)
              .json()
              .path("events");
      assertThat(events.findValues("details"))
          .anySatisfy(details -> {
            assertThat(details.path("milestone").asText()).isEqualTo("deadline");
            assertThat(details.path("on_deadline").asText()).isEqualTo("escalate");
          });
      RolloutFixture.await(
          "the deadline webhook arrives",
          15_000,
          () ->
              receiver.deliveries().stream()
                  .anyMatch(d -> d.json().path("event").asText().equals("rollout.deadline")));
      JsonNode hook =
          receiver.deliveries().stream()
              .map(WebhookReceiver.Delivery::json)
              .filter(j -> j.path("event").asText().equals("rollout.deadline"))
              .findFirst()
              .orElseThrow();
      assertThat(hook.path("on_deadline").asText()).isEqualTo("escalate");
      assertThat(hook.path("rollout").asLong()).isEqualTo(id);
      // the pipeline can still finish the rollout; the breach stays on record
      var complete =
          server
              .operator()
              .post(
                  "/v1/workloads/" + workload + "/rollouts/current/complete",
                  Map.of("reason", "late but done"));
      assertThat(complete.status()).as(complete.text()).isEqualTo(200);
      assertThat(obligation(workload).path("state").asText()).isEqualTo("breached");
    }
  }

  @Test
  void deadline_survivesARestart() throws Exception {
    String workload = "dl-restart";
    RolloutFixture.workload(
        server, workload, Map.of("A", "a5a5", "B", "b5b5"), "A", objective("PT3S", "revoke"));
    start(workload);
    // the process goes away before the deadline: its scheduler stops first, so only the restarted
    // one can fire it
    server.server().services().scheduler().close();
    Instant stopped = Instant.now();
    JsonNode before = RolloutFixture.status(server, workload).path("rollout");
    assertThat(before.path("deadline_fired_at").isNull()).isTrue();
    assertThat(Instant.parse(before.path("deadline").asText())).isAfter(stopped);
    server.restart();
    RolloutFixture.await(
        "the restarted scheduler fires the deadline",
        20_000,
        () -> RolloutFixture.state(server, workload).equals("COMPLETED"));
    JsonNode after = RolloutFixture.status(server, workload).path("rollout");
    assertThat(Instant.parse(after.path("deadline_fired_at").asText()))
        .isAfter(Instant.parse(after.path("deadline").asText()));
    assertThat(
            server
                .operator()
                .get("/v1/workloads/" + workload + "/versions/A")
                .json()
                .path("revoked")
                .asBoolean())
        .isTrue();
    assertThat(audit(workload, "rollout.deadline")).hasSize(1);
    assertThat(obligation(workload).path("state").asText()).isEqualTo("breached");
  }
}
