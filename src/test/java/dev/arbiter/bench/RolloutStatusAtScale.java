// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.appraisal.FleetRecorder;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load harness for "Rollout status at scale" (docs/benchmarks.md): a server whose fleet tables hold
 * 100,000 live instances (and 300,000 attestation events) of a workload in the middle of a rollout,
 * under sustained attestation traffic from a few virtual threads over HTTPS. Reports the latency of
 * {@code GET /v1/workloads/{w}/rollouts/current} (what {@code rollout status} calls) and whether
 * fleet-record writes keep up (FleetRecorder pending stays bounded, nothing dropped). Exits 1 when
 * the p95 latency misses 100 ms or records were dropped.
 *
 * <p>Arguments: {@code [instances=100000] [attesters=4] [seconds=30] [rate=100]} (rate:
 * attestations per second over all attesters, paced; 0 for as fast as they go).
 */
public final class RolloutStatusAtScale {
  private RolloutStatusAtScale() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int attesters = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    boolean ok;
    try (TestServer server = TestServer.start(config -> config.withDev(true))) {
      ok = run(server, instances, attesters, seconds, rate);
    }
    System.exit(ok ? 0 : 1);
  }

  static boolean run(TestServer server, int instances, int attesters, int seconds, int rate)
      throws Exception {
    String w = "scale";
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", w));
    operator.post(
        "/v1/workloads/" + w + "/versions",
        Map.of("version", "A", "reference_values", Map.of("sample", Map.of("measurement", "aa"))));
    operator.post(
        "/v1/workloads/" + w + "/versions",
        Map.of("version", "B", "reference_values", Map.of("sample", Map.of("measurement", "bb"))));
    operator.post(
        "/v1/workloads/" + w + "/policy/accept", Map.of("version", "A", "reason", "initial"));
    var started =
        operator.post(
            "/v1/workloads/" + w + "/rollouts",
            Map.of("to", "B", "reason", "scale", "drain", "PT1H", "min_samples", 1_000_000));
    if (started.status() != 201) {
      throw new IllegalStateException(started.text());
    }
    var jdbi = server.server().database().jdbi();
    long setup = System.nanoTime();
    jdbi.useHandle(h -> {
      h.execute(
          "insert into fleet_instance(workload, instance_id, version, format, status, reason,"
              + " last_seen, first_seen) select ?, 'i-' || n, case when n % 3 = 0 then 'B' else 'A'"
              + " end, 'sample', case when n % 97 = 0 then 'failed' else 'affirming' end, null,"
              + " now() - (n % 540) * interval '1 second', now() - interval '1 hour' from"
              + " generate_series(1, ?) n",
          w, instances);
      h.execute(
          "insert into attestation_event(at, workload, instance_id, format, version, status,"
              + " reason, policy_revision) select now() - (n % 590) * interval '1 second', ?, 'i-'"
              + " || (n % ?), 'sample', case when n % 3 = 0 then 'B' else 'A' end, case when n % 97"
              + " = 0 then 'failed' else 'affirming' end, null, 'x' from generate_series(1, ?) n",
          w, instances, instances * 3);
      h.execute("vacuum analyze fleet_instance");
      h.execute("vacuum analyze attestation_event");
    });
    System.out.printf(
        "setup: %,d fleet_instance rows, %,d attestation_event rows in %.1f s%n",
        instances, instances * 3, (System.nanoTime() - setup) / 1e9);
    server.server().services().policyCache().reload(w);

    FleetRecorder fleet = server.server().services().fleet();
    long writtenBefore = fleet.written();
    AtomicLong attested = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong maxPending = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < attesters; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  ECKey attestationKey = new ECKeyGenerator(Curve.P_256).generate();
                  ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
                  var client = server.anonymous();
                  long interval = rate == 0 ? 0 : 1_000_000_000L * attesters / rate;
                  long next = System.nanoTime();
                  while (System.nanoTime() < end) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String nonce =
                        client.post("/v1/challenge", Map.of()).json().path("nonce").asText();
                    boolean b = ThreadLocalRandom.current().nextBoolean();
                    String evidence =
                        SampleEvidence.sign(
                            attestationKey,
                            b ? "bb" : "aa",
                            null,
                            Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
                    Map<String, Object> request = new LinkedHashMap<>();
                    request.put("workload", w);
                    request.put(
                        "instance_id",
                        "i-" + ThreadLocalRandom.current().nextInt(1, instances + 1));
                    request.put("nonce", nonce);
                    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
                    request.put(
                        "evidence",
                        Map.of(
                            "format",
                            "sample",
                            "data",
                            Base64.getEncoder()
                                .encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
                    (client.post("/v1/attest", request).status() == 200 ? attested : refused)
                        .incrementAndGet();
                  }
                } catch (com.nimbusds.jose.JOSEException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    threads.add(
        Thread.ofVirtual()
            .start(() -> {
              while (System.nanoTime() < end) {
                maxPending.accumulateAndGet(fleet.pending(), Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            }));
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      operator.get("/v1/workloads/" + w + "/rollouts/current"); // warm-up (JIT, connection)
    }
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      var status = operator.get("/v1/workloads/" + w + "/rollouts/current");
      latencies.add(System.nanoTime() - t0);
      if (status.status() != 200
          || status.json().path("fleet").path("total").asLong() < instances / 2) {
        throw new IllegalStateException(
            "unexpected status answer: "
                + status.text().substring(0, Math.min(300, status.text().length())));
      }
      Thread.sleep(100);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    fleet.flush(30_000);
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double p50 = pct(sorted, 0.50);
    double p95 = pct(sorted, 0.95);
    System.out.printf(
        "rollouts/current over %d calls: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        sorted.length, p50, p95, pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    System.out.printf(
        "attestation traffic: %,d affirmed + %,d refused in %d s (%.0f/s) by %d attesters%n",
        attested.get(),
        refused.get(),
        seconds,
        (attested.get() + refused.get()) / (double) seconds,
        attesters);
    System.out.printf(
        "fleet recorder: %,d written, %d dropped, max pending %d, pending after flush %d%n",
        fleet.written() - writtenBefore, fleet.dropped(), maxPending.get(), fleet.pending());
    jdbi.useHandle(h ->
        h.createQuery(
                "explain (analyze, buffers) select coalesce(version, '') as version, status ="
                    + " 'failed' as failed, count(*) as n from fleet_instance where workload = :w"
                    + " and last_seen > now() - interval '10 minutes' group by 1, 2 order by 1")
            .bind("w", w)
            .mapTo(String.class)
            .list()
            .forEach(line -> System.out.println("  live: " + line)));
    jdbi.useHandle(h ->
        h.createQuery(
                "explain (analyze, buffers) select count(*) as total, count(*) filter (where status"
                    + " = 'failed') as failed from attestation_event where workload = :w and"
                    + " version = 'B' and at > now() - interval '5 minutes'")
            .bind("w", w)
            .mapTo(String.class)
            .list()
            .forEach(line -> System.out.println("  window: " + line)));
    boolean keptUp =
        fleet.dropped() == 0 && fleet.written() - writtenBefore >= attested.get() + refused.get();
    System.out.println(
        Arrays.toString(
            new String[] {
              p95 < 100 ? "p95 < 100 ms: yes" : "p95 < 100 ms: NO",
              keptUp ? "writes kept up: yes" : "writes kept up: NO"
            }));
    return p95 < 100 && keptUp;
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
