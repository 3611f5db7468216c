// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.bench.HaClients.Answer;
import dev.arbiter.bench.HaClients.Api;
import dev.arbiter.bench.HaClients.Tee;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * The failover scenario of {@code deploy/ha/failover-test} against a running local HA deployment
 * ({@code deploy/ha/start}): sample TEEs attest continuously through HAProxy while a rollout moves
 * workload {@code ha-<run>} from A to B and an operator changes policy (workload {@code ops-<run>})
 * several times a second; the PostgreSQL primary is killed at a random moment (Patroni promotes the
 * synchronous standby), later one Arbiter replica is killed and restarted. Then it checks that no
 * attestation failed, every acknowledged change is present, changes refused during the failover got
 * a typed 503 and succeeded on retry, a policy change after the failover reaches every replica,
 * {@code rollout wait --state STAGED} was right, every EAR issued is in the transparency log,
 * {@code audit verify} passes with every checkpoint seen during the run as a trusted checkpoint (no
 * gap, no fork). Prints a summary and, last, the line fixed in CONTRACTS.md. Exit 0 only when every
 * check passed.
 *
 * <p>A TEE's attestation is one round: challenge, then attest on the replica HAProxy chose. A round
 * is retried (new challenge) after a connection error (its replica was killed mid-request), a typed
 * 503 or {@code nonce-wrong-issuer} (the balancer moved it); it <em>fails</em> when it gets any
 * other answer, a verdict other than affirming, or no result within 20 s.
 */
public final class HaFailover {
  private final String workload;
  private final String ops;
  private static final String A = "a0a1";
  private static final String B = "b0b1";
  private static final Duration ROUND_LIMIT = Duration.ofSeconds(20);

  private final Map<String, String> options;
  private final URI lb;
  private final List<URI> replicas;
  private final Path dataDir;
  private final Path ctl;
  private final Path arbiter;
  private final Path work;
  private final Random random;
  private final Api operator;
  private final SSLContext anonymousTls;
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  // attestations
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong roundsOk = new AtomicLong();
  private final AtomicLong roundsFailed = new AtomicLong();
  private final Map<String, AtomicLong> retries = new ConcurrentHashMap<>();
  private final Map<String, Long> jtisDuringOutage = new ConcurrentHashMap<>();
  private final Map<String, Long> jtisSample = new ConcurrentHashMap<>();
  private volatile long replicaKillNanos;
  private final ConcurrentLinkedQueue<Long> roundNanos = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean outage = new AtomicBoolean();
  private final AtomicLong outageRounds = new AtomicLong();
  private final AtomicLong outageMaxNanos = new AtomicLong();

  // writes
  private final List<Map.Entry<Long, String>> acknowledged = new CopyOnWriteArrayList<>();
  private final AtomicLong otherAcknowledged = new AtomicLong();
  private final AtomicLong writes503 = new AtomicLong();
  private final AtomicLong writesRetriedOk = new AtomicLong();
  private final AtomicLong writesCommittedDespiteError = new AtomicLong();
  private final AtomicLong writesFailed = new AtomicLong();
  private final AtomicInteger failovers = new AtomicInteger();
  private final Set<String> checkpoints = Collections.synchronizedSet(new LinkedHashSet<>());

  private HaFailover(Map<String, String> options) throws IOException {
    this.options = options;
    this.lb = URI.create(required("lb"));
    this.replicas = List.of(required("replicas").split(",")).stream().map(URI::create).toList();
    this.dataDir = Path.of(required("data-dir"));
    this.ctl = Path.of(required("ctl"));
    this.arbiter = Path.of(required("arbiter"));
    this.work = Path.of(required("work"));
    Files.createDirectories(work);
    long seed = Long.parseLong(options.getOrDefault("seed", "" + System.nanoTime()));
    this.random = new Random(seed);
    notes.add("seed=" + seed);
    String run = Long.toString(seed & 0xffffffL, 36);
    this.workload = "ha-" + run;
    this.ops = "ops-" + run;
    this.operator = new Api(HaClients.client(HaClients.operatorTls(dataDir), null), lb);
    this.anonymousTls = HaClients.anonymousTls(dataDir);
  }

  private String required(String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int exit = new HaFailover(options).run();
    System.out.flush();
    System.exit(exit);
  }

  private int run() throws Exception {
    int teeCount = Integer.parseInt(options.getOrDefault("tees", "24"));
    double rate = Double.parseDouble(options.getOrDefault("rate", "60"));
    setup();
    List<Tee> tees = new ArrayList<>();
    List<AtomicReference<String>> measurements = new ArrayList<>();
    for (int i = 0; i < teeCount; i++) {
      tees.add(new Tee("tee-" + i));
      measurements.add(new AtomicReference<>(A));
    }
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < teeCount; i++) {
      int index = i;
      Api api = new Api(HaClients.client(anonymousTls, HaClients.teeAddress(i)), lb);
      double perTee = rate / teeCount;
      threads.add(
          Thread.ofVirtual()
              .name("tee-" + i)
              .start(() -> teeLoop(api, tees.get(index), measurements.get(index), perTee)));
    }
    Thread operatorThread = Thread.ofVirtual().name("operator").start(this::operatorLoop);
    Thread checkpointThread = Thread.ofVirtual().name("checkpoints").start(this::checkpointLoop);

    // 1. the PostgreSQL primary dies at a random moment
    sleep(Duration.ofMillis(4000 + random.nextInt(8000)));
    primaryFailover();
    // 2. a rollout A -> B: start, rollout wait --state STAGED, then every replica must appraise B
    sleep(Duration.ofSeconds(2));
    rolloutToB(tees, measurements);
    // 3. one Arbiter replica dies at a random moment, and comes back
    sleep(Duration.ofMillis(1000 + random.nextInt(4000)));
    replicaKill();
    // 4. the rollout completes (all TEEs on B); a policy change reaches every replica
    rolloutWrite(
        "rollout complete",
        "/v1/workloads/" + workload + "/rollouts/current/complete",
        Map.of("reason", "fleet on B"),
        "COMPLETED");
    propagation();
    sleep(Duration.ofSeconds(3));
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
    operatorThread.join();
    checkpointThread.join();
    double seconds = (System.nanoTime() - start) / 1e9;
    check(seconds);
    return report(seconds);
  }

  // ------------------------------------------------------------------------------------ setup

  private void setup() throws Exception {
    for (String name : List.of(workload, ops)) {
      mustWrite(() -> operator.post("/v1/workloads", Map.of("name", name)), "create " + name);
    }
    for (String[] version : new String[][] {{"A", A}, {"B", B}}) {
      mustWrite(
          () ->
              operator.post(
                  "/v1/workloads/" + workload + "/versions",
                  Map.of(
                      "version",
                      version[0],
                      "reference_values",
                      Map.of("sample", Map.of("measurement", version[1])))),
          "register " + version[0]);
    }
    mustWrite(
        () ->
            operator.post(
                "/v1/workloads/" + workload + "/policy/accept",
                Map.of("version", "A", "reason", "initial")),
        "accept A");
    mustWrite(
        () ->
            operator.post(
                "/v1/workloads/" + ops + "/versions",
                Map.of(
                    "version",
                    "1",
                    "reference_values",
                    Map.of("sample", Map.of("measurement", "0f")))),
        "register ops 1");
    mustWrite(
        () ->
            operator.post(
                "/v1/workloads/" + ops + "/policy/accept",
                Map.of("version", "1", "reason", "initial")),
        "accept ops 1");
    // every replica serves A before the load starts
    for (URI replica : replicas) {
      Api direct = new Api(HaClients.client(anonymousTls, null), replica);
      Tee probe = new Tee("probe");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        String last;
        try {
          Answer answer = probe.attestOnce(direct, workload, A);
          if (answer.status() == 200) {
            break;
          }
          last = answer.text();
        } catch (IOException e) {
          last = e.toString();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(replica + " does not appraise A: " + last);
        }
        Thread.sleep(200);
      }
    }
  }

  /** A setup call, retried on connection errors (a cold, loaded machine). */
  private interface Call {
    Answer send() throws IOException, InterruptedException;
  }

  private static void mustWrite(Call call, String what) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        mustWrite(call.send(), what);
        return;
      } catch (IOException e) {
        if (attempt == 5) {
          throw new IllegalStateException(what + ": " + e, e);
        }
        Thread.sleep(1000);
      }
    }
  }

  private static void mustWrite(Answer answer, String what) {
    if (answer.status() / 100 != 2) {
      throw new IllegalStateException(what + ": " + answer.status() + " " + answer.text());
    }
  }

  // ---------------------------------------------------------------------------------- the TEEs

  private void teeLoop(Api api, Tee tee, AtomicReference<String> measurement, double perSecond) {
    long interval = (long) (1e9 / perSecond);
    long next = System.nanoTime() + (long) (random.nextDouble() * interval);
    while (running.get()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      next += interval;
      round(api, tee, measurement.get());
    }
  }

  private void round(Api api, Tee tee, String measurement) {
    rounds.incrementAndGet();
    long start = System.nanoTime();
    boolean duringOutage = outage.get();
    int attempt = 0;
    while (true) {
      attempt++;
      String retryReason;
      try {
        Answer answer = tee.attestOnce(api, workload, measurement);
        if (answer.status() == 200 && answer.json().has("token")) {
          String status = answer.json().path("status").asText();
          String expected = measurement.equals(A) ? "A" : "B";
          if (!status.equals("affirming")
              || !answer.json().path("version").asText().equals(expected)) {
            fail("attestation of " + expected + " answered " + status + " " + answer.text());
            return;
          }
          roundsOk.incrementAndGet();
          long took = System.nanoTime() - start;
          roundNanos.add(took);
          if (duringOutage) {
            outageRounds.incrementAndGet();
            outageMaxNanos.accumulateAndGet(took, Math::max);
          }
          String jti = jti(answer.json().path("token").asText());
          if (duringOutage || outage.get()) {
            jtisDuringOutage.put(jti, System.nanoTime());
          } else if (random.nextInt(20) == 0
              || Math.abs(System.nanoTime() - replicaKillNanos) < 3e9) {
            // a sample, and every one issued around the replica kill
            jtisSample.put(jti, System.nanoTime());
          }
          return;
        }
        if (answer.status() == 503) {
          retryReason = "503 " + answer.problemType();
        } else if (answer.status() == 409 && answer.problemType().endsWith("nonce-wrong-issuer")) {
          retryReason = "409 nonce-wrong-issuer";
        } else {
          fail("attestation answered " + answer.status() + " " + answer.text());
          return;
        }
      } catch (IOException e) {
        retryReason = "connection " + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      retries.computeIfAbsent(retryReason, k -> new AtomicLong()).incrementAndGet();
      if (System.nanoTime() - start > ROUND_LIMIT.toNanos()) {
        fail("attestation found no replica within " + ROUND_LIMIT + " (last: " + retryReason + ")");
        return;
      }
      sleep(Duration.ofMillis(Math.min(1000, 50L * attempt)));
    }
  }

  private void fail(String what) {
    roundsFailed.incrementAndGet();
    if (failures.size() < 20) {
      failures.add(what);
    }
  }

  private static String jti(String token) {
    String[] parts = token.split("\\.");
    try {
      JsonNode claims =
          dev.arbiter.internal.Json.mapper()
              .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
      return claims.path("jti").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------- the operator

  private void operatorLoop() {
    int i = 0;
    while (running.get()) {
      i++;
      String reason = "op-" + i;
      write(
          "policy change " + reason,
          "/v1/workloads/" + ops + "/policy/appraisal",
          Map.of("cel", i + " >= 0", "reason", reason),
          reason);
      sleep(Duration.ofMillis(200));
    }
  }

  /**
   * One write, retried until acknowledged: on a typed 503 (counted) or a connection error, again
   * after Retry-After. A policy change ({@code reason} given, PUT) that was refused may have
   * committed although its answer was lost in the failover: the workload's head tells, before it is
   * sent again. Returns the acknowledged answer's JSON, or null (counted as a failed write).
   */
  private JsonNode write(String what, String path, Map<String, Object> body, String reason) {
    return write(what, path, body, reason, ops, reason != null);
  }

  /**
   * A rollout transition, retried like {@link #write}; when a retry is refused (the transition is
   * no longer possible), the first attempt may have committed with its answer lost: the current
   * rollout's state tells.
   */
  private void rolloutWrite(String what, String path, Map<String, Object> body, String state)
      throws IOException, InterruptedException {
    int failedBefore = failures.size();
    long writesFailedBefore = writesFailed.get();
    if (write(what, path, body, null) != null) {
      return;
    }
    Answer current = operator.get("/v1/workloads/" + workload + "/rollouts/current");
    String now = current.json().path("rollout").path("state").asText();
    if (writesFailed.get() == writesFailedBefore + 1
        && (now.equals(state) || (state.equals("STAGED") && now.equals("ROLLING")))) {
      // it had committed: undo the failure write() recorded for the refused retry
      failures.subList(failedBefore, failures.size()).clear();
      writesFailed.decrementAndGet();
      otherAcknowledged.incrementAndGet();
      writesCommittedDespiteError.incrementAndGet();
      writesRetriedOk.incrementAndGet();
      notes.add(
          what + ": the retry was refused because the first attempt had committed (" + now + ")");
    }
  }

  private JsonNode write(
      String what,
      String path,
      Map<String, Object> body,
      String reason,
      String policyWorkload,
      boolean opsChange) {
    boolean refused = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    boolean isPolicy = reason != null;
    while (true) {
      String problem;
      try {
        if (isPolicy && refused) {
          Answer head = operator.get("/v1/workloads/" + policyWorkload + "/policy");
          if (head.status() == 200
              && head.json().path("body").path("reason").asText().equals(reason)) {
            acknowledge(head.json(), opsChange);
            writesCommittedDespiteError.incrementAndGet();
            writesRetriedOk.incrementAndGet();
            return head.json();
          }
          if (head.status() == 503) {
            writes503.incrementAndGet();
            sleep(Duration.ofSeconds(1));
            continue;
          }
        }
        Answer answer = isPolicy ? operator.put(path, body) : operator.post(path, body);
        if (answer.status() / 100 == 2) {
          acknowledge(answer.json(), opsChange);
          if (refused) {
            writesRetriedOk.incrementAndGet();
          }
          return answer.json();
        }
        if (answer.status() == 503 && answer.problemType().endsWith(":unavailable")) {
          writes503.incrementAndGet();
          refused = true;
          problem = "503";
        } else {
          writesFailed.incrementAndGet();
          failures.add(what + " answered " + answer.status() + " " + answer.text());
          return null;
        }
      } catch (IOException e) {
        refused = true;
        problem = "connection " + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (System.nanoTime() > deadline) {
        writesFailed.incrementAndGet();
        failures.add(what + " not acknowledged within 90 s (last: " + problem + ")");
        return null;
      }
      sleep(Duration.ofSeconds(1));
    }
  }

  private void acknowledge(JsonNode revision, boolean opsChange) {
    if (opsChange) {
      acknowledged.add(Map.entry(revision.path("seq").asLong(), revision.path("hash").asText()));
    } else {
      otherAcknowledged.incrementAndGet();
    }
  }

  // ---------------------------------------------------------------------------- checkpoints

  /** Every checkpoint any replica serves during the run (each must be a prefix of the end log). */
  private void checkpointLoop() {
    List<Api> direct =
        replicas.stream().map(uri -> new Api(HaClients.client(anonymousTls, null), uri)).toList();
    while (running.get()) {
      for (Api api : direct) {
        try {
          Answer answer = api.get("/v1/log/checkpoint");
          if (answer.status() == 200) {
            checkpoints.add(answer.text());
          }
        } catch (IOException e) {
          // a replica that is down
        } catch (InterruptedException e) {
          return;
        }
      }
      sleep(Duration.ofMillis(700));
    }
  }

  // ---------------------------------------------------------------------------- the faults

  private void primaryFailover() throws Exception {
    String before = ctl("primary").strip();
    outage.set(true);
    long t0 = System.nanoTime();
    String killed = ctl("kill-primary").strip();
    notes.add("killed the PostgreSQL primary pg" + killed);
    String now = before;
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
      sleep(Duration.ofMillis(250));
      now = ctlQuiet("primary").strip();
      if (!now.isEmpty() && !now.equals(before)) {
        break;
      }
    }
    if (now.isEmpty() || now.equals(before)) {
      failures.add("Patroni did not promote the standby within 120 s");
      return;
    }
    failovers.incrementAndGet();
    double promoted = (System.nanoTime() - t0) / 1e9;
    // until the first write on the new primary is acknowledged
    long ackBefore = acknowledged.size();
    while (acknowledged.size() == ackBefore
        && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
      sleep(Duration.ofMillis(100));
    }
    outage.set(false);
    notes.add(
        String.format(
            "pg%s promoted after %.1f s; first write acknowledged %.1f s after the kill",
            now, promoted, (System.nanoTime() - t0) / 1e9));
    ctl("start-pg", killed);
    notes.add("pg" + killed + " restarted (rejoins as a standby)");
  }

  private void rolloutToB(List<Tee> tees, List<AtomicReference<String>> measurements)
      throws Exception {
    rolloutWrite(
        "rollout start",
        "/v1/workloads/" + workload + "/rollouts",
        Map.of("to", "B", "reason", "release B"),
        "STAGED");
    long t0 = System.nanoTime();
    CliResult wait =
        cli("rollout", "wait", "--workload", workload, "--state", "STAGED", "--timeout", "90");
    notes.add(
        String.format(
            "rollout wait --state STAGED: exit %d after %.1f s",
            wait.exit, (System.nanoTime() - t0) / 1e9));
    if (wait.exit != 0) {
      failures.add("rollout wait --state STAGED exited " + wait.exit + ": " + wait.output);
      return;
    }
    // right: once it returned, every replica appraises B (checked on each replica directly)
    for (URI replica : replicas) {
      Answer answer =
          new Tee("staged-check")
              .attestOnce(new Api(HaClients.client(anonymousTls, null), replica), workload, B);
      if (answer.status() != 200 || !answer.json().path("version").asText().equals("B")) {
        failures.add(
            "rollout wait returned but "
                + replica
                + " does not appraise B: "
                + answer.status()
                + " "
                + answer.text());
      }
    }
    for (AtomicReference<String> m : measurements) {
      m.set(B);
      sleep(Duration.ofMillis(100));
    }
  }

  private void replicaKill() throws Exception {
    int n = 1 + random.nextInt(replicas.size());
    long t0 = System.nanoTime();
    replicaKillNanos = System.nanoTime();
    ctl("kill-replica", "" + n);
    notes.add("killed Arbiter replica " + n);
    sleep(Duration.ofSeconds(4));
    ctl("start-replica", "" + n);
    ctl("wait-replica", "" + n, "180");
    notes.add(
        String.format(
            "replica %d back (ready) %.1f s after the kill", n, (System.nanoTime() - t0) / 1e9));
  }

  /**
   * Policy changes on the attested workload after the failover: each must reach every replica (its
   * EARs carry the new revision), timed; p99 recorded.
   */
  private void propagation() throws Exception {
    List<Api> direct =
        replicas.stream().map(uri -> new Api(HaClients.client(anonymousTls, null), uri)).toList();
    Tee probe = new Tee("propagation-probe");
    List<Long> millis = new ArrayList<>();
    int changes = Integer.parseInt(options.getOrDefault("propagation-changes", "10"));
    for (int i = 0; i < changes; i++) {
      JsonNode changed =
          write(
              "propagation change " + i,
              "/v1/workloads/" + workload + "/policy/appraisal",
              Map.of("cel", "true || " + i + " >= 0", "reason", "propagation " + i),
              "propagation " + i,
              workload,
              false);
      if (changed == null) {
        return;
      }
      String hash = changed.path("hash").asText();
      long t0 = System.nanoTime();
      for (Api api : direct) {
        while (true) {
          Answer answer;
          try {
            answer = probe.attestOnce(api, workload, B);
          } catch (IOException e) {
            answer = new Answer(0, com.fasterxml.jackson.databind.node.NullNode.getInstance(), "");
          }
          if (answer.status() == 200
              && answer.json().path("policy_revision").asText().equals(hash)) {
            break;
          }
          if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
            failures.add(
                "policy revision " + hash + " did not reach " + api.base() + " within 30 s");
            return;
          }
          sleep(Duration.ofMillis(5));
        }
      }
      millis.add((System.nanoTime() - t0) / 1_000_000);
      sleep(Duration.ofMillis(300));
    }
    Collections.sort(millis);
    notes.add(
        String.format(
            "policy change after failover reached all %d replicas: %d changes, p50 %d ms, max %d"
                + " ms",
            replicas.size(),
            millis.size(),
            millis.get(millis.size() / 2),
            millis.get(millis.size() - 1)));
  }

  // --------------------------------------------------------------------------------- checks

  private void check(double seconds) throws Exception {
    // every acknowledged policy change is in the database (synchronous replication)
    Answer list = operator.get("/v1/workloads/" + ops + "/policy/revisions");
    Set<String> present = new java.util.HashSet<>();
    for (JsonNode revision : list.json().path("revisions")) {
      present.add(revision.path("seq").asLong() + ":" + revision.path("hash").asText());
    }
    long lost = 0;
    for (Map.Entry<Long, String> ack : acknowledged) {
      if (!present.contains(ack.getKey() + ":" + ack.getValue())) {
        lost++;
        if (lost <= 5) {
          failures.add(
              "acknowledged revision " + ack.getKey() + " " + ack.getValue() + " is missing");
        }
      }
    }
    this.lost = lost;
    if (writes503.get() == 0) {
      failures.add("no write was refused with a typed 503 during the failover (was there one?)");
    }
    // every EAR issued during the outage (and a sample of the others) is in the transparency log
    Map<String, Long> jtis = new LinkedHashMap<>(jtisDuringOutage);
    jtis.putAll(jtisSample);
    Api direct = new Api(HaClients.client(anonymousTls, null), replicas.get(0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int missing = 0;
    for (String jti : jtis.keySet()) {
      while (true) {
        Answer proof =
            direct.get(
                "/v1/log/proof?jti=" + java.net.URLEncoder.encode(jti, StandardCharsets.UTF_8));
        if (proof.status() == 200) {
          break;
        }
        if (System.nanoTime() > deadline) {
          missing++;
          if (missing <= 5) {
            failures.add(
                String.format(
                    "EAR %s (issued %.1f s after the replica kill) is not in the transparency log",
                    jti, (jtis.get(jti) - replicaKillNanos) / 1e9));
          }
          break;
        }
        sleep(Duration.ofMillis(500));
      }
    }
    notes.add(
        String.format(
            "decision log: %d EARs issued during the outage and %d sampled others looked up: %d"
                + " missing",
            jtisDuringOutage.size(), jtisSample.size(), missing));
    if (missing > 5) {
      failures.add(missing + " issued EARs in all are not in the transparency log");
    }
    // audit verify with every checkpoint seen as trusted: no gap, no fork
    sleep(Duration.ofSeconds(2));
    for (URI replica : replicas) {
      try {
        Answer answer =
            new Api(HaClients.client(anonymousTls, null), replica).get("/v1/log/checkpoint");
        if (answer.status() == 200) {
          checkpoints.add(answer.text());
        }
      } catch (IOException e) {
        failures.add(replica + " is not serving at the end: " + e);
      }
    }
    List<String> args = new ArrayList<>(List.of("audit", "verify"));
    int i = 0;
    for (String note : checkpoints) {
      Path file = work.resolve("checkpoint-" + i++ + ".txt");
      Files.writeString(file, note);
      args.add("--trusted-checkpoint");
      args.add(file.toString());
    }
    CliResult audit = cli(args.toArray(String[]::new));
    notes.add(
        "audit verify with "
            + checkpoints.size()
            + " checkpoints seen during the run as trusted: exit "
            + audit.exit
            + " ("
            + audit.output.strip().lines().reduce((a, b) -> b).orElse("")
            + ")");
    if (audit.exit != 0) {
      failures.add("audit verify exited " + audit.exit + ": " + audit.output);
    }
  }

  private long lost;

  private int report(double seconds) {
    long[] sorted = roundNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "ha: %.0f s, %d TEEs at %s/s; round p50 %.1f ms p99 %.1f ms max %.0f ms%n",
        seconds,
        Integer.parseInt(options.getOrDefault("tees", "24")),
        options.getOrDefault("rate", "60"),
        sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
        sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    System.out.printf(
        "ha: during the database outage: %d attestations, slowest %.0f ms%n",
        outageRounds.get(), outageMaxNanos.get() / 1e6);
    for (String note : notes) {
      System.out.println("ha: " + note);
    }
    System.out.println("ha: attestation retries by cause: " + new java.util.TreeMap<>(retries));
    System.out.printf(
        "ha: writes: %d policy changes acknowledged, %d other writes; %d typed 503 answers during"
            + " the failover, %d writes succeeded on retry (%d of them had committed although the"
            + " answer was lost), %d failed%n",
        acknowledged.size(),
        otherAcknowledged.get(),
        writes503.get(),
        writesRetriedOk.get(),
        writesCommittedDespiteError.get(),
        writesFailed.get());
    if (writesFailed.get() > 0 || roundsFailed.get() > 0) {
      // counted in the last line (failed) or listed
      if (writesFailed.get() > 0 && failures.stream().noneMatch(f -> f.contains("answered"))) {
        failures.add(writesFailed.get() + " writes failed");
      }
    }
    for (String failure : failures) {
      System.out.println("ha: FAILED: " + failure);
    }
    System.out.println(
        failures.isEmpty()
            ? "ha: every check passed"
            : "ha: " + failures.size() + " checks failed");
    System.out.printf(
        "ha: replicas=%d attestations=%d failed=%d writes_acknowledged=%d lost=%d failovers=%d%n",
        replicas.size(),
        rounds.get(),
        roundsFailed.get(),
        acknowledged.size() + otherAcknowledged.get(),
        lost,
        failovers.get());
    return failures.isEmpty() && roundsFailed.get() == 0 && lost == 0 ? 0 : 1;
  }

  // ---------------------------------------------------------------------------------- tools

  record CliResult(int exit, String output) {}

  /** {@code arbiter ARGS} against the deployment (through HAProxy, operator certificate). */
  private CliResult cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(arbiter.toString());
    command.addAll(List.of(args));
    if (!args[0].equals("audit")) {
      command.addAll(List.of("--server", lb.toString()));
    }
    command.addAll(List.of("--data-dir", dataDir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new CliResult(process.waitFor(), output);
  }

  private String ctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ctl.toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("ctl " + String.join(" ", args) + " exited " + exit);
    }
    return output;
  }

  private String ctlQuiet(String... args) {
    try {
      List<String> command = new ArrayList<>();
      command.add(ctl.toString());
      command.addAll(List.of(args));
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
