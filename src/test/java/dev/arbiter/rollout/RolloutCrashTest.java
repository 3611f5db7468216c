// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.ClientConfig;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.internal.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash consistency: a separate Arbiter JVM over a PostgreSQL this test owns is killed with SIGKILL
 * while a burst of start/deploying/complete/abort calls is in flight, several times; after each
 * kill the database holds every rollout in a whole state (rollout row, events, policy revisions and
 * audit records agree) and the hash chains verify. Each restart also proves the server recovers.
 */
class RolloutCrashTest {
  private static final List<String> WORKLOADS = List.of("crash-0", "crash-1", "crash-2");
  private static final List<String> VERSIONS = List.of("A", "B", "C");

  private record Server(Process process, HttpClient http, URI base) {
    HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(20))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static boolean listening(Path log) {
    try {
      return Files.exists(log) && Files.readString(log).contains("arbiter: listening on");
    } catch (IOException e) {
      return false;
    }
  }

  private static dev.arbiter.governance.KeyRing ring(Path dir) throws java.io.IOException {
    return dev.arbiter.governance.KeyRing.load(
        dir.resolve("data").resolve(dev.arbiter.governance.KeyRing.FILE));
  }

  private static Server fork(String databaseUrl, Path dataDir, Path log) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.arbiter.cli.Main",
                "serve",
                "--database-url",
                databaseUrl,
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean listening =
        RolloutFixture.poll(90_000, () -> !process.isAlive() || listening(log)) && listening(log);
    if (!listening) {
      process.destroyForcibly();
      throw new AssertionError(
          "the forked server did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }
    Path clientJson = dataDir.resolve("client.json");
    ClientConfig client = ClientConfig.read(clientJson);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(
                TlsContexts.create(
                    client.resolve(clientJson, client.cert()),
                    client.resolve(clientJson, client.key()),
                    client.resolve(clientJson, client.ca())))
            .build();
    return new Server(process, http, URI.create(client.server()));
  }

  private static void setup(Server server) throws Exception {
    for (String workload : WORKLOADS) {
      assertThat(server.post("/v1/workloads", Map.of("name", workload)).statusCode())
          .isEqualTo(201);
      for (String version : VERSIONS) {
        assertThat(
                server
                    .post(
                        "/v1/workloads/" + workload + "/versions",
                        Map.of(
                            "version",
                            version,
                            "reference_values",
                            Map.of(
                                "sample",
                                Map.of(
                                    "measurement",
                                    version.toLowerCase() + "0" + version.toLowerCase() + "0"))))
                    .statusCode())
            .isEqualTo(201);
      }
      assertThat(
              server
                  .post(
                      "/v1/workloads/" + workload + "/policy/accept",
                      Map.of("version", "A", "reason", "initial"))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  /**
   * Callers drive random transitions until the server dies; returns {transitions that succeeded,
   * calls cut off by the kill}.
   */
  private static int[] burstAndKill(Server server) throws Exception {
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger cutOff = new AtomicInteger();
    List<Thread> callers = new ArrayList<>();
    for (String workload : WORKLOADS) {
      for (int t = 0; t < 2; t++) {
        callers.add(
            Thread.ofVirtual()
                .start(() -> {
                  String base = "/v1/workloads/" + workload + "/rollouts";
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (true) {
                    try {
                      HttpResponse<String> response =
                          switch (random.nextInt(8)) {
                            case 0, 1, 2 ->
                                server.post(
                                    base,
                                    Map.of(
                                        "to",
                                        VERSIONS.get(random.nextInt(VERSIONS.size())),
                                        "reason",
                                        "burst start"));
                            case 3 ->
                                server.post(
                                    base + "/current/deploying",
                                    Map.of("reason", "burst deploying"));
                            case 4, 5 ->
                                server.post(
                                    base + "/current/complete", Map.of("reason", "burst complete"));
                            default ->
                                server.post(
                                    base + "/current/abort", Map.of("reason", "burst abort"));
                          };
                      if (response.statusCode() / 100 == 2) {
                        succeeded.incrementAndGet();
                      }
                    } catch (IOException e) {
                      if (!server.process().isAlive()) {
                        cutOff.incrementAndGet();
                        return;
                      }
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
      }
    }
    // kill at a random point once the burst is well under way (transitions committing, others in
    // flight): after a random
    // number of successful transitions, while the other callers' requests are in flight
    int target = ThreadLocalRandom.current().nextInt(6, 26);
    RolloutFixture.poll(30_000, () -> succeeded.get() >= target);
    server
        .process()
        .destroyForcibly(); // SIGKILL on Linux: no shutdown hook, open transactions die with the
    // connections
    server.process().waitFor();
    for (Thread caller : callers) {
      caller.join(30_000);
    }
    return new int[] {succeeded.get(), cutOff.get()};
  }

  @Test
  void sigkillDuringTransitions_databaseHoldsWholeStatesAndIntactChains(@TempDir Path dir)
      throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      Jdbi jdbi = Jdbi.create(postgres.getPostgresDatabase());
      Map<String, Long> setupSeq = new HashMap<>();
      int transitions = 0;
      for (int round = 0; round < 3; round++) {
        Server server = fork(url, dir.resolve("data"), dir.resolve("serve-" + round + ".log"));
        Thread reaper = new Thread(server.process()::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
          if (round == 0) {
            setup(server);
            for (String workload : WORKLOADS) {
              setupSeq.put(
                  workload,
                  jdbi.withHandle(h ->
                      h.createQuery("select max(seq) from policy_revision where workload = :w")
                          .bind("w", workload)
                          .mapTo(Long.class)
                          .one()));
            }
          }
          int[] burst = burstAndKill(server);
          transitions += burst[0];
          assertThat(burst[1])
              .as("calls in flight when the server was killed (round " + round + ")")
              .isPositive();
        } finally {
          server.process().destroyForcibly();
          server.process().waitFor();
          Runtime.getRuntime().removeShutdownHook(reaper);
        }
        assertThat(RolloutConsistency.check(jdbi, setupSeq, ring(dir)))
            .as("after kill " + (round + 1))
            .isEmpty();
      }
      assertThat(transitions)
          .as("transitions committed across the bursts")
          .isGreaterThanOrEqualTo(18);
      Map<String, Object> byState = new java.util.TreeMap<>();
      jdbi.withHandle(h ->
              h.createQuery("select state, count(*) as n from rollout group by state")
                  .mapToMap()
                  .list())
          .forEach(row -> byState.put((String) row.get("state"), row.get("n")));
      System.out.println(
          "crash test: " + transitions + " transitions answered, rollouts by state " + byState);
      assertThat(byState).containsKeys("COMPLETED", "ROLLED_BACK");

      // the check is not vacuous: a transition whose state disagrees with its revision is reported
      // (a
      // terminal state swapped for the other one: moving it back to STAGED could collide with a
      // rollout
      // of the same workload that the kill left active)
      jdbi.useTransaction(handle -> {
        handle.execute(
            "update rollout set state = case state when 'COMPLETED' then 'ROLLED_BACK' else"
                + " 'COMPLETED' end where id = (select max(id) from rollout where state in"
                + " ('COMPLETED', 'ROLLED_BACK'))");
        assertThat(RolloutConsistency.check(handle, setupSeq, ring(dir))).isNotEmpty();
        handle.rollback();
      });
      jdbi.useTransaction(handle -> {
        handle.execute(
            "delete from rollout_event where id = (select max(id) from rollout_event where to_state"
                + " in ('COMPLETED', 'ROLLED_BACK'))");
        assertThat(RolloutConsistency.check(handle, setupSeq, ring(dir))).isNotEmpty();
        handle.rollback();
      });
    }
  }
}
