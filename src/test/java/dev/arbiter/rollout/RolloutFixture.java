// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.appraisal.PolicyCache;
import dev.arbiter.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Test helpers for rollouts: workloads with sample versions, single attestations, and waits that
 * poll instead of sleeping.
 */
final class RolloutFixture {
  private RolloutFixture() {}

  /**
   * Creates {@code workload} with sample versions (label to measurement) and accepts {@code
   * initial}.
   */
  static void workload(
      TestServer server, String workload, Map<String, String> versions, String initial) {
    workload(server, workload, versions, initial, null);
  }

  static void workload(
      TestServer server,
      String workload,
      Map<String, String> versions,
      String initial,
      Object objectives) {
    var operator = server.operator();
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("name", workload);
    if (objectives != null) {
      create.put("objectives", objectives);
    }
    var created = operator.post("/v1/workloads", create);
    assertThat(created.status()).as(created.text()).isBetween(200, 201);
    versions.forEach((label, measurement) -> {
      var registered =
          operator.post(
              "/v1/workloads/" + workload + "/versions",
              Map.of(
                  "version",
                  label,
                  "reference_values",
                  Map.of("sample", Map.of("measurement", measurement))));
      assertThat(registered.status()).as(registered.text()).isBetween(200, 201);
    });
    var accepted =
        operator.post(
            "/v1/workloads/" + workload + "/policy/accept",
            Map.of("version", initial, "reason", "initial deployment"));
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
    awaitServed(server.server().services().policyCache(), workload, headSeq(server, workload));
  }

  static JsonNode policy(TestServer server, String workload) {
    return server.operator().get("/v1/workloads/" + workload + "/policy").json();
  }

  static long headSeq(TestServer server, String workload) {
    return policy(server, workload).path("seq").asLong();
  }

  static String accepted(TestServer server, String workload) {
    return policy(server, workload).path("accepted").toString();
  }

  static JsonNode status(TestServer server, String workload) {
    return server.operator().get("/v1/workloads/" + workload + "/rollouts/current").json();
  }

  static String state(TestServer server, String workload) {
    return status(server, workload).path("rollout").path("state").asText();
  }

  /**
   * Waits until the cache serves revision {@code seq} (or newer) of {@code workload}: LISTEN/NOTIFY
   * pickup, no sleeping blind.
   */
  static void awaitServed(PolicyCache cache, String workload, long seq) {
    await(
        "policy cache serves " + workload + " #" + seq,
        15_000,
        () -> cache.servedSequences().getOrDefault(workload, -1L) >= seq);
  }

  /** Polls {@code condition} until it holds; fails after {@code timeoutMillis}. */
  static void await(String what, long timeoutMillis, BooleanSupplier condition) {
    if (!poll(timeoutMillis, condition)) {
      throw new AssertionError("timed out after " + timeoutMillis + " ms waiting until " + what);
    }
  }

  /**
   * Polls {@code condition} (first quickly, then every 100 ms at most) until it holds or {@code
   * timeoutMillis} pass; true when it held. The one place rollout tests wait: no fixed sleeps.
   */
  static boolean poll(long timeoutMillis, BooleanSupplier condition) {
    long deadline =
        System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    long interval = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(interval);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting");
      }
      interval = Math.min(interval * 2, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
    }
    return true;
  }

  /**
   * One attestation of a fresh instance with {@code measurement} (and an optional configuration
   * digest).
   */
  static TestServer.Response attest(
      TestServer server,
      String workload,
      String instance,
      String measurement,
      String configuration) {
    return dev.arbiter.testing.SampleAttest.attest(
        server, workload, instance, measurement, configuration);
  }
}
