// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed pattern "no downtime while old and new instances coexist", proven under load: a simulated
 * fleet of 200 instances (virtual threads, sample scheme, over HTTPS) attests continuously while a
 * pipeline drives the rollout through the CLI. Instances move to B only once {@code rollout wait
 * --state STAGED} says every replica serves the staged revision, and leave A entirely before the
 * rollout completes (or return to A before it is aborted), as a deployment would. Not a single
 * attestation may fail at any point; afterwards the removed version is refused and the kept one
 * passes.
 */
class RolloutNoDowntimeTest {
  private static final TestServer server = TestServer.shared();
  private static final int FLEET = 200;
  private static final String A = "a0a0a0a0";
  private static final String B = "b0b0b0b0";

  private static CliRun cli(String... args) {
    String[] full = java.util.Arrays.copyOf(args, args.length + 2);
    full[args.length] = "--data-dir";
    full[args.length + 1] = server.dataDir().toString();
    return CliRun.of(full);
  }

  /**
   * Starts A to B, waits until STAGED is served everywhere, and moves {@code movers} instances to B
   * in batches; returns at ROLLING.
   */
  private static long stageAndRoll(SimulatedFleet fleet, String workload, int movers)
      throws Exception {
    fleet.awaitAllAttestedCurrent(30_000);
    // a replica slow to pick up revisions: moving instances to B before it serves the staged
    // revision would fail them
    server.server().services().policyCache().setPickupDelay(java.time.Duration.ofMillis(1500));
    CliRun start;
    try {
      start =
          cli(
              "rollout",
              "start",
              "--workload",
              workload,
              "--to",
              "B",
              "--drain",
              "PT1H",
              "--reason",
              "release B",
              "--json");
      assertThat(start.exitCode()).as(start.err()).isZero();
      assertThat(start.json().path("state").asText()).isEqualTo("STAGED");
      fleet.phase("STAGED");
      CliRun wait =
          cli("rollout", "wait", "--workload", workload, "--state", "STAGED", "--timeout", "PT30S");
      assertThat(wait.exitCode()).as(wait.err() + wait.out()).isZero();
    } finally {
      server.server().services().policyCache().setPickupDelay(java.time.Duration.ZERO);
    }
    long staged = server.server().services().policyCache().servedSequences().get(workload);
    assertThat(staged).isEqualTo(RolloutFixture.headSeq(server, workload));
    for (int i = 0; i < movers; i++) {
      fleet.deploy(i, B);
      if (i % 25 == 24) {
        // a gradual deployment: batches of 25, the next once this one attests on B
        int batchStart = i - 24;
        int batchEnd = i + 1;
        RolloutFixture.await(
            "instances " + batchStart + ".." + i + " attest on B",
            30_000,
            () -> fleet.attestedCurrent(batchStart, batchEnd));
      }
    }
    RolloutFixture.await(
        "the scheduler marks the rollout ROLLING",
        20_000,
        () -> RolloutFixture.state(server, workload).equals("ROLLING"));
    fleet.phase("ROLLING");
    fleet.awaitAllAttestedCurrent(30_000);
    return start.json().path("id").asLong();
  }

  @Test
  void rollout_aToB_underContinuousAttestation_noAttestationFails() throws Exception {
    String workload = "nd-complete";
    RolloutFixture.workload(server, workload, Map.of("A", A, "B", B), "A");
    try (SimulatedFleet fleet = new SimulatedFleet(server, workload, FLEET, A, 400).start()) {
      stageAndRoll(fleet, workload, FLEET);
      assertThat(RolloutFixture.state(server, workload)).isEqualTo("ROLLING");
      fleet.phase("COMPLETING");
      CliRun complete =
          cli("rollout", "complete", "--workload", workload, "--reason", "whole fleet on B");
      assertThat(complete.exitCode()).as(complete.err()).isZero();
      fleet.phase("COMPLETED");
      RolloutFixture.awaitServed(
          server.server().services().policyCache(),
          workload,
          RolloutFixture.headSeq(server, workload));
      RolloutFixture.await(
          "the fleet attests after completion",
          30_000,
          () -> fleet.successes("COMPLETED", B) >= FLEET);
      fleet.close();
      assertThat(fleet.failures()).as("failed attestations").isEmpty();
      assertThat(fleet.successes("STAGED", A)).as("A attested while STAGED").isPositive();
      assertThat(fleet.successes("STAGED", B) + fleet.successes("ROLLING", B))
          .as("B attested before completion")
          .isPositive();
      assertThat(fleet.successes("COMPLETED", B)).as("B attested after completion").isPositive();
    }
    assertThat(RolloutFixture.accepted(server, workload)).isEqualTo("[\"B\"]");
    var refused = RolloutFixture.attest(server, workload, "probe-a", A, null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.problem()).isEqualTo("no-matching-version");
    assertThat(RolloutFixture.attest(server, workload, "probe-b", B, null).status()).isEqualTo(200);
  }

  @Test
  void rollout_aToBRolledBack_underContinuousAttestation_noAttestationFails() throws Exception {
    String workload = "nd-rollback";
    RolloutFixture.workload(server, workload, Map.of("A", A, "B", B), "A");
    try (SimulatedFleet fleet = new SimulatedFleet(server, workload, FLEET, A, 400).start()) {
      int canary = FLEET / 4;
      stageAndRoll(fleet, workload, canary);
      RolloutFixture.await(
          "A and B both attest while ROLLING",
          30_000,
          () -> fleet.successes("ROLLING", A) > 0 && fleet.successes("ROLLING", B) > 0);
      fleet.phase("ROLLING-BACK");
      for (int i = 0; i < canary; i++) {
        fleet.deploy(i, A); // the deployment is rolled back first ...
      }
      fleet.awaitAllAttestedCurrent(30_000);
      CliRun abort =
          cli("rollout", "abort", "--workload", workload, "--reason", "canary unhealthy");
      assertThat(abort.exitCode()).as(abort.err()).isZero(); // ... then the policy
      fleet.phase("ROLLED_BACK");
      CliRun wait =
          cli(
              "rollout",
              "wait",
              "--workload",
              workload,
              "--state",
              "ROLLED_BACK",
              "--timeout",
              "PT10S");
      assertThat(wait.exitCode()).as(wait.err()).isZero();
      RolloutFixture.awaitServed(
          server.server().services().policyCache(),
          workload,
          RolloutFixture.headSeq(server, workload));
      RolloutFixture.await(
          "the fleet attests after the rollback",
          30_000,
          () -> fleet.successes("ROLLED_BACK", A) >= FLEET);
      fleet.close();
      assertThat(fleet.failures()).as("failed attestations").isEmpty();
      assertThat(fleet.successes("ROLLING", B) + fleet.successes("STAGED", B))
          .as("the canary attested as B")
          .isPositive();
      assertThat(fleet.successes("ROLLED_BACK", A)).isPositive();
    }
    assertThat(RolloutFixture.accepted(server, workload)).isEqualTo("[\"A\"]");
    var refused = RolloutFixture.attest(server, workload, "probe-b", B, null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.problem()).isEqualTo("no-matching-version");
    assertThat(RolloutFixture.attest(server, workload, "probe-a", A, null).status()).isEqualTo(200);
  }
}
