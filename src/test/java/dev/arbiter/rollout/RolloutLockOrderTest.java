// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler takes locks in the order API transitions do (workload row, then rollout row) and
 * skips a workload another transaction holds, so an auto-abort racing a pipeline's {@code complete}
 * neither blocks nor deadlocks.
 */
class RolloutLockOrderTest {
  private static final TestServer server = TestServer.shared();

  @Test
  void schedulerTick_whileATransitionHoldsTheWorkload_skipsItInsteadOfDeadlocking()
      throws Exception {
    String workload = "lock-order";
    RolloutFixture.workload(server, workload, Map.of("A", "a7a7"), "A");
    Map<String, String> config = Map.of("trust_roots", "sha256:" + "4".repeat(64));
    server
        .operator()
        .post(
            "/v1/workloads/" + workload + "/versions",
            Map.of(
                "version",
                "B",
                "reference_values",
                Map.of("sample", Map.of("measurement", "b7b7"), "configuration", config)));
    var started =
        server
            .operator()
            .post(
                "/v1/workloads/" + workload + "/rollouts",
                Map.of(
                    "to", "B", "reason", "release B", "max_failure_rate", 0.1, "min_samples", 2));
    assertThat(started.status()).as(started.text()).isEqualTo(201);
    RolloutFixture.awaitServed(
        server.server().services().policyCache(),
        workload,
        RolloutFixture.headSeq(server, workload));

    var jdbi = server.server().database().jdbi();
    var scheduler = server.server().services().scheduler();
    try (var api = jdbi.open()) {
      // what 'rollout complete' does first: lock the workload row
      api.begin();
      try {
        api.execute("set local lock_timeout = '5s'");
        api.createQuery("select name from workload where name = :w for update")
            .bind("w", workload)
            .mapTo(String.class)
            .one();

        String wrong =
            SampleEvidence.configurationDigest(Map.of("trust_roots", "sha256:" + "5".repeat(64)));
        for (int i = 0; i < 3; i++) {
          assertThat(RolloutFixture.attest(server, workload, "b-" + i, "b7b7", wrong).problem())
              .isEqualTo("configuration-mismatch");
        }
        server.server().services().fleet().flush(5000);
        CompletableFuture<Void> tick = CompletableFuture.runAsync(scheduler::tick);
        tick.get(
            3,
            TimeUnit
                .SECONDS); // a scheduler waiting for the workload lock here would be holding the
        // rollout row
        // ... and then the transition's next step, locking the active rollout, would deadlock
        // against it
        var locked =
            api.createQuery(
                    "select state from rollout where workload = :w and state in"
                        + " ('PLANNED','STAGED','ROLLING') for update")
                .bind("w", workload)
                .mapTo(String.class)
                .one();
        assertThat(locked).isEqualTo("STAGED");
      } finally {
        api.rollback();
      }
    }
    scheduler.tick();
    RolloutFixture.await(
        "the skipped auto-abort happens once the workload is free",
        10_000,
        () -> RolloutFixture.state(server, workload).equals("ROLLED_BACK"));
  }
}
