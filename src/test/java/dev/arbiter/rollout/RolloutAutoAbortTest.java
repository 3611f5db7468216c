// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Auto-abort: when the new version's failure rate over the window exceeds {@code
 * --max-failure-rate} (with the minimum sample), the scheduler rolls back by itself, audited as
 * {@code operator:arbiter:rollout-scheduler}, and the pipeline is told by a signed webhook that is
 * retried with backoff when the receiver fails.
 */
class RolloutAutoAbortTest {
  private static final TestServer server = TestServer.shared();
  private static final Map<String, String> GOOD_CONFIG =
      Map.of("trust_roots", "sha256:" + "2".repeat(64));
  private static final Map<String, String> BAD_CONFIG =
      Map.of("trust_roots", "sha256:" + "3".repeat(64));

  @Test
  void failingNewVersion_aboveMaxRate_rollsBackBySchedulerAndNotifiesSigned() throws Exception {
    String workload = "auto-abort";
    RolloutFixture.workload(server, workload, Map.of("A", "a2a2"), "A");
    var registered =
        server
            .operator()
            .post(
                "/v1/workloads/" + workload + "/versions",
                Map.of(
                    "version",
                    "B",
                    "reference_values",
                    Map.of("sample", Map.of("measurement", "b2b2"), "configuration", GOOD_CONFIG)));
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    try (WebhookReceiver receiver = new WebhookReceiver(1)) {
      CliRun start =
          CliRun.of(
              "rollout",
              "start",
              "--workload",
              workload,
              "--to",
              "B",
              "--max-failure-rate",
              "0.2",
              "--min-samples",
              "10",
              "--failure-window",
              "PT5M",
              "--webhook",
              receiver.url(),
              "--reason",
              "release B",
              "--json",
              "--data-dir",
              server.dataDir().toString());
      assertThat(start.exitCode()).as(start.err()).isZero();
      long id = start.json().path("id").asLong();
      RolloutFixture.awaitServed(
          server.server().services().policyCache(),
          workload,
          RolloutFixture.headSeq(server, workload));

      // below the minimum sample nothing happens, even at a 100% failure rate
      for (int i = 0; i < 5; i++) {
        var refused =
            RolloutFixture.attest(
                server,
                workload,
                "b-bad-" + i,
                "b2b2",
                SampleEvidence.configurationDigest(BAD_CONFIG));
        assertThat(refused.problem()).isEqualTo("configuration-mismatch");
      }
      for (int i = 0; i < 3; i++) {
        assertThat(
                RolloutFixture.attest(
                        server,
                        workload,
                        "b-ok-" + i,
                        "b2b2",
                        SampleEvidence.configurationDigest(GOOD_CONFIG))
                    .status())
            .isEqualTo(200);
      }
      server.server().services().fleet().flush(5000);
      server.server().services().scheduler().tick();
      assertThat(RolloutFixture.state(server, workload))
          .as("8 samples < min 10")
          .isIn("STAGED", "ROLLING");

      for (int i = 5; i < 12; i++) {
        RolloutFixture.attest(
            server, workload, "b-bad-" + i, "b2b2", SampleEvidence.configurationDigest(BAD_CONFIG));
      }
      server.server().services().fleet().flush(5000);
      RolloutFixture.await(
          "the scheduler rolls back",
          15_000,
          () -> RolloutFixture.state(server, workload).equals("ROLLED_BACK"));

      assertThat(RolloutFixture.accepted(server, workload)).isEqualTo("[\"A\"]");
      JsonNode rollout =
          server.operator().get("/v1/workloads/" + workload + "/rollouts/" + id).json();
      JsonNode last = rollout.path("events").get(rollout.path("events").size() - 1);
      assertThat(last.path("to_state").asText()).isEqualTo("ROLLED_BACK");
      assertThat(last.path("principal").asText()).isEqualTo("operator:arbiter:rollout-scheduler");
      assertThat(last.path("reason").asText())
          .matches("auto-abort: \\d+ of \\d+ attestations of B failed in the last 300s .*");
      List<JsonNode> audit = new ArrayList<>();
      server
          .operator()
          .get("/v1/audit?target=" + workload + "&limit=100")
          .json()
          .path("records")
          .forEach(r -> audit.add(r.path("body")));
      assertThat(audit)
          .anySatisfy(body -> {
            assertThat(body.path("action").asText()).isEqualTo("rollout.rolled-back");
            assertThat(body.path("principal").asText())
                .isEqualTo("operator:arbiter:rollout-scheduler");
            assertThat(body.path("reason").asText()).startsWith("auto-abort");
            assertThat(body.path("revision").asText())
                .isEqualTo(rollout.path("final_revision").asText());
          });

      RolloutFixture.await(
          "the webhook is delivered",
          20_000,
          () ->
              receiver.deliveries().stream()
                  .anyMatch(d ->
                      d.answered() == 204
                          && d.json().path("state").asText().equals("ROLLED_BACK")));
      JWKSet keys = JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
      WebhookReceiver.Delivery rolledBack =
          receiver.deliveries().stream()
              .filter(d -> d.json().path("state").asText().equals("ROLLED_BACK"))
              .findFirst()
              .orElseThrow();
      assertThat(rolledBack.json().path("principal").asText())
          .isEqualTo("operator:arbiter:rollout-scheduler");
      assertThat(rolledBack.json().path("rollout").asLong()).isEqualTo(id);
      assertThat(rolledBack.verifies(keys, rolledBack.body()))
          .as("Arbiter-Signature verifies over the exact body")
          .isTrue();
      byte[] altered =
          new String(rolledBack.body(), StandardCharsets.UTF_8)
              .replace("ROLLED_BACK", "COMPLETED")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(rolledBack.verifies(keys, altered)).as("and not over another body").isFalse();

      // the first delivery (STAGED) got a 500 and was retried with the same body after the
      // backoff, signed afresh (each attempt's signature has its own iat/exp)
      WebhookReceiver.Delivery failed = receiver.deliveries().get(0);
      assertThat(failed.answered()).isEqualTo(500);
      assertThat(failed.json().path("state").asText()).isEqualTo("STAGED");
      WebhookReceiver.Delivery retried =
          receiver.deliveries().stream()
              .filter(d -> d.answered() == 204 && java.util.Arrays.equals(d.body(), failed.body()))
              .findFirst()
              .orElseThrow();
      assertThat(failed.verifies(keys, failed.body())).isTrue();
      assertThat(retried.verifies(keys, retried.body())).isTrue();
      assertThat(Duration.ofNanos(retried.atNanos() - failed.atNanos()))
          .as("backoff")
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
      long attempts =
          server
              .server()
              .database()
              .jdbi()
              .withHandle(h ->
                  h.createQuery(
                          "select attempts from webhook_delivery where url = :u and delivered_at is"
                              + " not null and body like '%\"state\":\"STAGED\"%'")
                      .bind("u", receiver.url())
                      .mapTo(Long.class)
                      .one());
      assertThat(attempts).isEqualTo(2);

      // a new rollout of B is judged on its own attestations, not on the failures that aborted the
      // previous one
      var again =
          server
              .operator()
              .post(
                  "/v1/workloads/" + workload + "/rollouts",
                  Map.of(
                      "to",
                      "B",
                      "reason",
                      "retry B with fixed configuration",
                      "max_failure_rate",
                      0.2,
                      "min_samples",
                      10,
                      "failure_window",
                      "PT5M"));
      assertThat(again.status()).as(again.text()).isEqualTo(201);
      server.server().services().scheduler().tick();
      assertThat(RolloutFixture.state(server, workload)).isEqualTo("STAGED");
      assertThat(
              RolloutFixture.status(server, workload)
                  .path("failures")
                  .path("B")
                  .path("failed")
                  .asLong())
          .isZero();
      server
          .operator()
          .post(
              "/v1/workloads/" + workload + "/rollouts/current/abort",
              Map.of("reason", "test done"));
    }
  }
}
