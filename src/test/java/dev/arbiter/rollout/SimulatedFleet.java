// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.testing.SampleAttest;
import dev.arbiter.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated fleet: each instance runs on its own virtual thread and attests continuously over
 * HTTPS with the sample scheme (challenge, sign evidence with its current measurement, attest,
 * pause, repeat). The test moves instances between measurements and labels phases; every outcome is
 * counted per phase and measurement, and every failure is kept with its detail.
 */
final class SimulatedFleet implements AutoCloseable {
  /** One failed attestation: the phase it started in, the measurement, and what the server said. */
  record Failure(String phase, String measurement, String instance, String detail) {}

  private final TestServer server;
  private final TestServer.Client client;
  private final String workload;
  private final String[] measurement;
  private final AtomicInteger[] okOnCurrent;
  private final int pauseMillis;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
  private final List<Failure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile String phase = "initial";
  private volatile boolean running = true;
  private final Object pacer = new Object();

  SimulatedFleet(
      TestServer server, String workload, int size, String initialMeasurement, int pauseMillis) {
    this.server = server;
    this.client = server.anonymous();
    this.workload = workload;
    this.measurement = new String[size];
    this.okOnCurrent = new AtomicInteger[size];
    this.pauseMillis = pauseMillis;
    for (int i = 0; i < size; i++) {
      measurement[i] = initialMeasurement;
      okOnCurrent[i] = new AtomicInteger();
    }
  }

  SimulatedFleet start() {
    for (int i = 0; i < measurement.length; i++) {
      int index = i;
      threads.add(Thread.ofVirtual().name("instance-" + i).start(() -> run(index)));
    }
    return this;
  }

  int size() {
    return measurement.length;
  }

  void phase(String value) {
    phase = value;
  }

  /** Redeploys instance {@code index} with another measurement (the next attestation uses it). */
  synchronized void deploy(int index, String value) {
    measurement[index] = value;
    okOnCurrent[index].set(0);
  }

  /** True when every instance has attested successfully at least once since its last deployment. */
  boolean allAttestedCurrent() {
    for (AtomicInteger ok : okOnCurrent) {
      if (ok.get() == 0) {
        return false;
      }
    }
    return true;
  }

  void awaitAllAttestedCurrent(long timeoutMillis) {
    if (!RolloutFixture.poll(timeoutMillis, this::allAttestedCurrent)) {
      throw new AssertionError(
          "not every instance attested its current measurement within "
              + timeoutMillis
              + " ms; failures: "
              + failures().stream().limit(5).toList());
    }
  }

  /**
   * True when instances {@code from} (inclusive) to {@code to} (exclusive) attested successfully
   * since their last deployment.
   */
  boolean attestedCurrent(int from, int to) {
    for (int i = from; i < to; i++) {
      if (okOnCurrent[i].get() == 0) {
        return false;
      }
    }
    return true;
  }

  /** An instance's think time between attestations; {@link #close()} ends it at once. */
  private void pause(long millis) throws InterruptedException {
    synchronized (pacer) {
      if (running) {
        pacer.wait(Math.max(1, millis));
      }
    }
  }

  /** Successful attestations that started in {@code phase} with {@code measurement}. */
  long successes(String phase, String measurement) {
    AtomicLong count = successes.get(phase + "/" + measurement);
    return count == null ? 0 : count.get();
  }

  List<Failure> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  private void run(int index) {
    try {
      ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
      ECKey attestationKey = new ECKeyGenerator(Curve.P_256).generate();
      pause(ThreadLocalRandom.current().nextInt(Math.max(1, pauseMillis)));
      while (running) {
        String current;
        synchronized (this) {
          current = measurement[index];
        }
        String startedIn = phase;
        String detail = attestOnce(index, teeKey, attestationKey, current);
        synchronized (this) {
          boolean stillCurrent = measurement[index].equals(current);
          if (detail == null) {
            successes
                .computeIfAbsent(startedIn + "/" + current, k -> new AtomicLong())
                .incrementAndGet();
            if (stillCurrent) {
              okOnCurrent[index].incrementAndGet();
            }
          } else if (running) {
            failures.add(new Failure(startedIn, current, "i-" + index, detail));
          }
        }
        pause(pauseMillis / 2 + ThreadLocalRandom.current().nextInt(Math.max(1, pauseMillis)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failures.add(new Failure(phase, "?", "i-" + index, "instance crashed: " + e));
    }
  }

  /**
   * One attestation; null when it succeeded, else what went wrong. A request the server shed (503
   * {@code overloaded}: not processed, retry after {@code Retry-After}) is retried after a jittered
   * pause, as an attestation agent does; sheds are counted ({@link #shed()}), not failures.
   */
  private String attestOnce(int index, ECKey teeKey, ECKey attestationKey, String current)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      String detail = attestAttempt(index, teeKey, attestationKey, current);
      if (detail == null || !detail.equals(SHED) || attempt == MAX_ATTEMPTS) {
        return detail;
      }
      shed.incrementAndGet();
      pause(100 + ThreadLocalRandom.current().nextInt(900));
    }
  }

  private static final String SHED = "shed";
  private static final int MAX_ATTEMPTS = 20;
  private final AtomicLong shed = new AtomicLong();

  /** Requests the server shed with 503 {@code overloaded} (and that were retried). */
  long shed() {
    return shed.get();
  }

  private String attestAttempt(int index, ECKey teeKey, ECKey attestationKey, String current) {
    try {
      TestServer.Response challenge = client.post("/v1/challenge", Map.of());
      if (challenge.status() != 200) {
        return isShed(challenge)
            ? SHED
            : "challenge: HTTP " + challenge.status() + " " + challenge.text();
      }
      String nonce = challenge.json().path("nonce").asText();
      TestServer.Response response =
          client.post(
              "/v1/attest",
              SampleAttest.request(
                  workload,
                  workload + "-i-" + index,
                  nonce,
                  teeKey,
                  attestationKey,
                  current,
                  null));
      if (response.status() == 200) {
        return null;
      }
      return isShed(response) ? SHED : "attest: HTTP " + response.status() + " " + response.text();
    } catch (RuntimeException e) {
      return "transport: " + e;
    }
  }

  private static boolean isShed(TestServer.Response response) {
    return response.status() == 503 && "overloaded".equals(response.problem());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    synchronized (pacer) {
      pacer.notifyAll();
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }

  TestServer server() {
    return server;
  }
}
