// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A version that fails its gates is never staged: 422 gates-failed, the rollout recorded REJECTED,
 * the policy untouched.
 */
class RolloutGateTest {
  @Test
  void start_gateRefuses_rejectsAndLeavesThePolicyUnchanged() {
    VersionGate gate =
        (tx, workload, version) ->
            version.equals("B")
                ? List.of(
                    "no SLSA provenance for " + workload + "@" + version,
                    "CVE-2026-0002 (critical) in libfoo")
                : List.of();
    try (TestServer server = TestServer.start(config -> config.withVersionGate(gate))) {
      String workload = "gated";
      RolloutFixture.workload(server, workload, Map.of("A", "a6a6", "B", "b6b6", "C", "c6c6"), "A");
      JsonNode before = RolloutFixture.policy(server, workload);

      var refused =
          server
              .operator()
              .post(
                  "/v1/workloads/" + workload + "/rollouts",
                  Map.of("to", "B", "reason", "release B"));
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.problem()).isEqualTo("gates-failed");
      assertThat(refused.json().path("detail").asText())
          .contains("REJECTED")
          .contains("no SLSA provenance")
          .contains("CVE-2026-0002");

      JsonNode after = RolloutFixture.policy(server, workload);
      assertThat(after.path("hash").asText()).isEqualTo(before.path("hash").asText());
      assertThat(after.path("accepted").toString()).isEqualTo("[\"A\"]");
      JsonNode rollouts =
          server.operator().get("/v1/workloads/" + workload + "/rollouts").json().path("rollouts");
      assertThat(rollouts).hasSize(1);
      assertThat(rollouts.get(0).path("state").asText()).isEqualTo("REJECTED");
      assertThat(rollouts.get(0).path("staged_revision").isNull()).isTrue();
      JsonNode events =
          server
              .operator()
              .get("/v1/workloads/" + workload + "/rollouts/" + rollouts.get(0).path("id").asLong())
              .json()
              .path("events");
      assertThat(events.findValuesAsText("to_state")).containsExactly("PLANNED", "REJECTED");
      assertThat(events.get(1).path("details").path("gate_failures")).hasSize(2);
      var audit =
          server
              .operator()
              .get("/v1/audit?target=" + workload + "&limit=100")
              .json()
              .path("records")
              .findValuesAsText("action");
      assertThat(audit).contains("rollout.rejected").doesNotContain("rollout.staged");

      // the CLI exits 1 with the problem; a REJECTED rollout does not block the next one
      CliRun cli =
          CliRun.of(
              "rollout",
              "start",
              "--workload",
              workload,
              "--to",
              "B",
              "--reason",
              "again",
              "--data-dir",
              server.dataDir().toString());
      assertThat(cli.exitCode()).isEqualTo(1);
      assertThat(cli.err()).contains("gates-failed");
      var staged =
          server
              .operator()
              .post(
                  "/v1/workloads/" + workload + "/rollouts",
                  Map.of("to", "C", "reason", "release C"));
      assertThat(staged.status()).as(staged.text()).isEqualTo(201);
      assertThat(RolloutFixture.accepted(server, workload)).isEqualTo("[\"A\",\"C\"]");
    }
  }
}
