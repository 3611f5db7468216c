// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.appraisal.PolicyCache;
import dev.arbiter.server.ArbiterServer;
import dev.arbiter.server.ServerConfig;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollout wait --state STAGED} with two Arbiter replicas over one PostgreSQL, the second
 * slow to pick up revisions: the wait must not return before the slow replica serves the staged
 * revision (instances it appraises would otherwise be refused), and must return once it does.
 */
class RolloutReplicasTest {
  /**
   * A second replica: the first's keys, CA and nonce key (a copied data directory without its
   * database), the first's PostgreSQL.
   */
  private static ArbiterServer secondReplica(TestServer first, Path dir) throws Exception {
    Path source = first.dataDir();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path relative = source.relativize(file);
        if (relative.startsWith("postgres")) {
          continue;
        }
        Files.createDirectories(dir.resolve(relative).getParent());
        Files.copy(file, dir.resolve(relative));
      }
    }
    return ArbiterServer.start(
        ServerConfig.defaults(dir)
            .withPort(0)
            .withDev(true)
            .withDatabaseUrl(Optional.of(first.server().database().replicaUrl())));
  }

  @Test
  void waitStaged_slowReplica_returnsOnlyOnceEveryReplicaServesTheStagedRevision(@TempDir Path dir)
      throws Exception {
    try (TestServer first = TestServer.start(config -> config.withDev(true));
        ArbiterServer second = secondReplica(first, dir)) {
      String workload = "replicas";
      RolloutFixture.workload(first, workload, Map.of("A", "a1a1", "B", "b1b1"), "A");
      PolicyCache slow = second.services().policyCache();
      RolloutFixture.awaitServed(slow, workload, RolloutFixture.headSeq(first, workload));
      slow.setPickupDelay(Duration.ofSeconds(3));

      CliRun start =
          CliRun.of(
              "rollout",
              "start",
              "--workload",
              workload,
              "--to",
              "B",
              "--reason",
              "release B",
              "--json",
              "--data-dir",
              first.dataDir().toString());
      assertThat(start.exitCode()).as(start.err()).isZero();
      long staged = RolloutFixture.headSeq(first, workload);
      assertThat(slow.servedSequences().get(workload))
          .as("the slow replica has not picked the staged revision up yet")
          .isLessThan(staged);
      AtomicLong slowServedAt = new AtomicLong();
      Thread watcher =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  if (slow.awaitServed(workload, staged, Duration.ofSeconds(30))) {
                    slowServedAt.set(System.nanoTime());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      long began = System.nanoTime();
      CliRun wait =
          CliRun.of(
              "rollout",
              "wait",
              "--workload",
              workload,
              "--state",
              "STAGED",
              "--timeout",
              "PT30S",
              "--json",
              "--data-dir",
              first.dataDir().toString());
      long returned = System.nanoTime();
      long slowServedAtWait = slow.servedSequences().getOrDefault(workload, -1L);
      watcher.join(5000);
      assertThat(wait.exitCode()).as(wait.err() + wait.out()).isZero();
      assertThat(slowServedAtWait)
          .as("the slow replica serves the staged revision when wait returns")
          .isGreaterThanOrEqualTo(staged);
      assertThat(slowServedAt.get()).as("the slow replica picked the revision up").isPositive();
      assertThat(slowServedAt.get())
          .as("wait returned only after the slow replica served the staged revision")
          .isLessThanOrEqualTo(returned);
      assertThat(Duration.ofNanos(returned - began))
          .as("wait returned once it did")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(first.server().services().policyCache().servedSequences().get(workload))
          .isEqualTo(staged);
      assertThat(wait.json().path("replicas")).hasSize(2);
      wait.json()
          .path("replicas")
          .forEach(replica -> assertThat(replica.path("serves_staged").asBoolean()).isTrue());
    }
  }
}
