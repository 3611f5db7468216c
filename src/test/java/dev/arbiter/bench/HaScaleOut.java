// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.bench.HaClients.Answer;
import dev.arbiter.bench.HaClients.Api;
import dev.arbiter.bench.HaClients.Tee;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Scale-out figures against a running local HA deployment ({@code deploy/ha/start}; run by {@code
 * deploy/ha/scale-out}): (1) policy-revision propagation, the time from a change's acknowledgement
 * until every replica's EARs carry the new revision (each replica probed directly, every 5 ms); (2)
 * attestation throughput through HAProxy with 3, 2 and 1 replicas (the others stopped with {@code
 * deploy/ha/ctl stop-replica}), closed loop: each sample TEE (own loopback source address) runs
 * challenge + attest back to back. Everything — replicas, PostgreSQL, HAProxy and this generator —
 * shares the machine's cores, so the figures are per machine, not per replica.
 */
public final class HaScaleOut {
  private HaScaleOut() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    URI lb = URI.create(options.get("lb"));
    List<URI> replicas =
        List.of(options.get("replicas").split(",")).stream().map(URI::create).toList();
    Path dataDir = Path.of(options.get("data-dir"));
    Path ctl = Path.of(options.get("ctl"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    int tees = Integer.parseInt(options.getOrDefault("tees", "48"));
    int changes = Integer.parseInt(options.getOrDefault("changes", "50"));
    SSLContext anonymous = HaClients.anonymousTls(dataDir);
    Api operator = new Api(HaClients.client(HaClients.operatorTls(dataDir), null), lb);
    String workload = "scale-" + Long.toString(System.nanoTime() & 0xffffffL, 36);
    must(operator.post("/v1/workloads", Map.of("name", workload)));
    must(
        operator.post(
            "/v1/workloads/" + workload + "/versions",
            Map.of(
                "version",
                "A",
                "reference_values",
                Map.of("sample", Map.of("measurement", "aa")))));
    must(
        operator.post(
            "/v1/workloads/" + workload + "/policy/accept",
            Map.of("version", "A", "reason", "initial")));

    // (1) propagation
    List<Api> direct =
        replicas.stream().map(u -> new Api(HaClients.client(anonymous, null), u)).toList();
    Tee probe = new Tee("probe");
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      Answer changed =
          operator.put(
              "/v1/workloads/" + workload + "/policy/appraisal",
              Map.of("cel", "true || " + i + " >= 0", "reason", "propagation " + i));
      must(changed);
      String hash = changed.json().path("hash").asText();
      long t0 = System.nanoTime();
      for (Api api : direct) {
        while (true) {
          Answer answer = probe.attestOnce(api, workload, "aa");
          if (answer.status() == 200
              && answer.json().path("policy_revision").asText().equals(hash)) {
            break;
          }
          if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
            throw new IllegalStateException(api.base() + " did not serve " + hash + " in 30 s");
          }
          Thread.sleep(5);
        }
      }
      micros.add((System.nanoTime() - t0) / 1000);
      Thread.sleep(200);
    }
    Collections.sort(micros);
    System.out.printf(
        "propagation to all %d replicas: %d changes, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        replicas.size(),
        micros.size(),
        micros.get(micros.size() / 2) / 1000.0,
        micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)) / 1000.0,
        micros.get(micros.size() - 1) / 1000.0);

    // (2) throughput with 3, 2, 1 replicas
    List<Api> clients = new ArrayList<>();
    List<Tee> teeList = new ArrayList<>();
    for (int i = 0; i < tees; i++) {
      clients.add(new Api(HaClients.client(anonymous, HaClients.teeAddress(i)), lb));
      teeList.add(new Tee("tee-" + i));
    }
    for (int active = replicas.size(); active >= 1; active--) {
      if (active < replicas.size()) {
        run(ctl, "stop-replica", "" + (active + 1));
        Thread.sleep(4000); // HAProxy marks it down (3 failed checks)
      }
      load(clients, teeList, workload, 5); // warm-up
      double rate = load(clients, teeList, workload, seconds);
      System.out.printf(
          "throughput with %d replica(s): %.0f attestations/s (challenge + attest each),"
              + " %.0f per core of %d%n",
          active,
          rate,
          rate / Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors());
    }
    for (int n = 2; n <= replicas.size(); n++) {
      run(ctl, "start-replica", "" + n);
    }
    for (int n = 2; n <= replicas.size(); n++) {
      run(ctl, "wait-replica", "" + n, "240");
    }
  }

  private static double load(List<Api> clients, List<Tee> tees, String workload, int seconds)
      throws InterruptedException {
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      Api api = clients.get(i);
      Tee tee = tees.get(i);
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                while (System.nanoTime() < end) {
                  try {
                    Answer answer = tee.attestOnce(api, workload, "aa");
                    if (answer.status() == 200) {
                      ok.incrementAndGet();
                    } else {
                      errors.incrementAndGet();
                    }
                  } catch (IOException e) {
                    errors.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (errors.get() > 0) {
      System.out.printf("  (%d rounds failed or were refused)%n", errors.get());
    }
    return ok.get() / elapsed;
  }

  private static void must(Answer answer) {
    if (answer.status() / 100 != 2) {
      throw new IllegalStateException(answer.status() + " " + answer.text());
    }
  }

  private static void run(Path ctl, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ctl.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("ctl " + String.join(" ", args) + ": " + output);
    }
  }
}
