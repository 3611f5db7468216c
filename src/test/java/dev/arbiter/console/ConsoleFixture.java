// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.TestServer;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workload with two sample versions, 1.0 accepted and a rollout to 2.0 in progress, attested by a
 * few instances (through the real API), for the console tests.
 */
final class ConsoleFixture {
  static final String M1 = "11".repeat(48);
  static final String M2 = "22".repeat(48);
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private ConsoleFixture() {}

  /** Creates {@code workload} (1.0 accepted, 2.0 registered) and starts a rollout to 2.0. */
  static void workloadWithRollout(TestServer server, String workload) {
    var operator = server.operator();
    ok(operator.post("/v1/workloads", Map.of("name", workload, "owner", "team-console")));
    for (var version : Map.of("1.0", M1, "2.0", M2).entrySet()) {
      ok(
          operator.post(
              "/v1/workloads/" + workload + "/versions",
              Map.of(
                  "version",
                  version.getKey(),
                  "reference_values",
                  Map.of("sample", Map.of("measurement", version.getValue())))));
    }
    ok(
        operator.post(
            "/v1/workloads/" + workload + "/policy/accept",
            Map.of("version", "1.0", "reason", "initial deployment")));
    ok(
        operator.post(
            "/v1/workloads/" + workload + "/rollouts",
            Map.of("to", "2.0", "reason", "release 2.0 for the console test")));
    long seq = operator.get("/v1/workloads/" + workload + "/policy").json().path("seq").asLong();
    await(
        "the policy cache serves " + workload + " #" + seq,
        () ->
            server.server().services().policyCache().servedSequences().getOrDefault(workload, -1L)
                >= seq);
  }

  static void ok(TestServer.Response response) {
    assertThat(response.status()).as(response.text()).isBetween(200, 201);
  }

  /** One attestation of {@code instance} with sample evidence of {@code measurement}. */
  static TestServer.Response attest(
      TestServer server, String workload, String instance, String measurement) {
    return dev.arbiter.testing.SampleAttest.attest(server, workload, instance, measurement, null);
  }

  /** The CSRF token in a console page. */
  static String csrfToken(String html) {
    Matcher matcher = CSRF.matcher(html);
    assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
    return matcher.group(1);
  }

  /** Polls {@code condition} until it holds (10 s at most). */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    long interval = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(interval);
      interval = Math.min(interval * 2, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
