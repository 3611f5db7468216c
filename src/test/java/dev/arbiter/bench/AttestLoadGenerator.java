// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The load generator of {@code bench/attest-load}: a prepared-request HTTPS client that costs
 * little CPU (blocking TLS sockets with HTTP/1.1 keep-alive, one platform thread per connection,
 * request bytes built before the timed phase), meant to be pinned to its own core.
 *
 * <p>Each {@code POST /v1/attest} needs a fresh nonce and evidence signed over it, so before each
 * timed phase the generator fetches a pool of nonces ({@code POST /v1/challenge}) and signs {@code
 * sample} evidence over each (dev mode), then serialises the complete HTTP requests. Phases:
 * warm-up, saturation (closed loop: every connection sends its next request as soon as the answer
 * arrives; saturation = answers per second), then an open loop at 70% of saturation: request {@code
 * i} is due at {@code start + i / rate}, and its latency is measured from that intended start, so a
 * stalled server is charged for every request it delayed (coordinated omission corrected, as wrk2
 * does). Prints the CONTRACTS.md line last.
 *
 * <p>Arguments: {@code URL DATA_DIR [saturationSeconds] [openSeconds] [connections]}; the data
 * directory gives the CA certificate and the operator certificate that registers the workload.
 */
public final class AttestLoadGenerator {
  private static final String WORKLOAD = "bench";
  private static final String MEASUREMENT = "be9c";

  private final URI server;
  private final SSLContext anonymous;
  private final SSLContext operator;
  private final ECKey attestationKey;
  private final List<ECKey> teeKeys = new ArrayList<>();
  private final List<Map<String, Object>> teeJwks = new ArrayList<>();

  private AttestLoadGenerator(URI server, Path dataDir) throws Exception {
    this.server = server;
    Path ca = dataDir.resolve("ca.pem");
    this.anonymous = TlsContexts.create(null, null, ca);
    this.operator =
        TlsContexts.create(
            dataDir.resolve("clients/operator.pem"),
            dataDir.resolve("clients/operator-key.pem"),
            ca);
    this.attestationKey = new ECKeyGenerator(Curve.P_256).generate();
    for (int i = 0; i < 16; i++) {
      ECKey key = new ECKeyGenerator(Curve.P_256).generate();
      teeKeys.add(key);
      teeJwks.add(key.toPublicJWK().toJSONObject());
    }
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    Path dataDir = Path.of(args[1]);
    double saturationSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
    double openSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 20;
    int connections = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    String generator = System.getProperty("attest.generator", "java-prepared-requests");
    AttestLoadGenerator load = new AttestLoadGenerator(url, dataDir);
    load.setUp();
    // warm-up: JIT on both sides, the policy cache, TLS sessions; a fixed pool (up to
    // -Dattest.warmup requests, default 3,000, or 60 s); its rate sizes the saturation pool
    // (nonces expire after 120 s)
    int warmup = Integer.getInteger("attest.warmup", 3000);
    // -Dattest.warmupRounds: that many warm-up rounds, each with its own pool (code run only a
    // few times a second, such as the writers', reaches C2 minutes after start)
    int rounds = Math.max(1, Integer.getInteger("attest.warmupRounds", 1));
    Result warm = null;
    for (int round = 0; round < rounds; round++) {
      warm = load.closedLoop(connections, 60, load.prepare(warmup, connections));
      System.out.printf("warm-up: %s%n", warm);
    }
    // the pool's challenges are requested before the CPU count starts
    byte[][] pool =
        load.prepare((int) (warm.throughput() * 3 * saturationSeconds + 500), connections);
    int alternate = Integer.getInteger("attest.alternate", 0);
    WindowCpu windowCpu = alternate > 0 ? new WindowCpu(alternate * 1000L) : null;
    Cpu before = Cpu.now();
    Result saturation = load.closedLoop(connections, saturationSeconds, pool);
    Cpu used = Cpu.now().minus(before);
    if (windowCpu != null) {
      windowCpu.close();
    }
    System.out.printf("saturation (closed loop, %d connections): %s%n", connections, saturation);
    used.print("saturation", saturation);
    if (alternate > 0) {
      System.out.println(Alternation.of(saturation.finishedAt(), alternate * 1000L).summary());
      windowCpu.print(saturation.finishedAt());
    }
    double fraction = Double.parseDouble(System.getProperty("attest.openFraction", "0.7"));
    double rate = saturation.throughput() * fraction;
    int openConnections = Integer.getInteger("attest.openConnections", 64);
    // -Dattest.openWarmupSeconds: the open loop runs that much longer, unmeasured, before the
    // measured window (same rate, same connections, no gap): requests that arrive one at a time
    // take paths a closed loop never does (an idle carrier parking and waking, the poller), which
    // C2 compiles only once they are hot, and the connections' handshakes stay out of the window
    double openWarmup = Double.parseDouble(System.getProperty("attest.openWarmupSeconds", "0"));
    // -Dattest.settleSeconds: first the open loop runs (unmeasured, 10 s chunks with fresh
    // nonces, at most that long) until the server's JIT compilers have been quiet for two chunks
    // in a row: code run a few times a second (the writers') reaches C2 minutes after start, and
    // a compile on the server's core is a burst that no steady state has
    double settle = Double.parseDouble(System.getProperty("attest.settleSeconds", "0"));
    // nonces live 120 s: after settling, the pools are prepared anew
    java.util.concurrent.Callable<byte[][]> warmPools =
        () -> openWarmup > 0 ? load.prepare((int) (rate * openWarmup), 16) : null;
    java.util.concurrent.Callable<byte[][]> openPools =
        () -> load.prepare((int) (rate * openSeconds), 16);
    byte[][] warmPool = settle > 0 ? null : warmPools.call();
    byte[][] openPool = settle > 0 ? null : openPools.call();
    // connections (TLS handshakes) are set up before the first request is due: a handshake
    // backlog inside the window would count as attestation latency
    // -Dattest.spin=true: one thread that never sleeps sends and polls every connection
    // (SpinningOpenLoop), so late wake-ups of the generator's own core are not in the figures
    boolean spin = Boolean.getBoolean("attest.spin");
    List<Connection> openLoopConnections = spin ? List.of() : load.connect(openConnections);
    SpinningOpenLoop spinning =
        spin ? new SpinningOpenLoop(load.anonymous, load.server, openConnections) : null;
    Sender sender = spin ? spinning : blocking(openLoopConnections);
    Result open;
    try {
      if (settle > 0) {
        load.settle(rate, settle, sender);
        warmPool = warmPools.call();
        openPool = openPools.call();
      }
      // the pools of earlier phases are garbage in this generator's old generation: a full
      // collection inside the window (seen: 246 ms) would stop every sender at once
      System.gc();
      if (warmPool != null) {
        Result warmOpen = load.openLoop(rate, warmPool, sender);
        System.out.printf("open-loop warm-up @%.0f/s: %s%n", rate, warmOpen);
      }
      before = Cpu.now();
      open = load.openLoop(rate, openPool, sender);
      used = Cpu.now().minus(before);
    } finally {
      for (Connection connection : openLoopConnections) {
        connection.close();
      }
      if (spinning != null) {
        spinning.close();
      }
    }
    System.out.printf("open loop @%.0f/s (%.0f%%): %s%n", rate, 100 * fraction, open);
    used.print("open loop", open);
    if (!Connection.PROBLEMS.isEmpty()) {
      System.out.println(
          "refusals over the whole run (status, problem type): " + Connection.PROBLEMS);
    }
    System.out.printf(
        "attest-load: saturation=%.0f/s p50=%.2fms p99_at_70=%.2fms cores=%d generator=%s%n",
        saturation.throughput(),
        open.percentile(0.50),
        open.percentile(0.99),
        Integer.getInteger("attest.cores", Runtime.getRuntime().availableProcessors()),
        generator);
  }

  /**
   * Runs the open loop in unmeasured 10 s chunks until the server's JIT compiler threads used less
   * than 1% of a core in two chunks in a row, or for {@code maxSeconds}; prints each chunk.
   */
  private void settle(double rate, double maxSeconds, Sender sender) throws Exception {
    String pid = System.getProperty("attest.serverPid");
    if (pid == null) {
      throw new IllegalStateException("settling needs -Dattest.serverPid");
    }
    long startedAt = System.nanoTime();
    int quiet = 0;
    while (quiet < 2 && System.nanoTime() - startedAt < maxSeconds * 1e9) {
      byte[][] chunk = prepare((int) (rate * 10), 16);
      long compiledBefore = Cpu.compilerNanos(pid);
      long wallBefore = System.nanoTime();
      Result result = openLoop(rate, chunk, sender);
      double share =
          (Cpu.compilerNanos(pid) - compiledBefore) / (double) (System.nanoTime() - wallBefore);
      quiet = share < 0.01 ? quiet + 1 : 0;
      System.out.printf(
          "settling @%.0f/s, %.0f s in: JIT compilers %.1f%% of a core; %s%n",
          rate, (System.nanoTime() - startedAt) / 1e9, 100 * share, result);
    }
    System.out.printf(
        "settled: %s after %.0f s%n",
        quiet >= 2 ? "JIT quiet" : "time limit reached, JIT still compiling",
        (System.nanoTime() - startedAt) / 1e9);
  }

  /**
   * Throughput in the windows where the server logged decisions (even windows of the wall clock)
   * against the odd ones where it did not ({@code -Darbiter.bench.alternateLogSeconds} on the
   * server): the first 500 ms of each window are left out (the writer's last batch of an "on"
   * window and the switch itself), and so are windows the loop did not cover whole.
   */
  record Alternation(List<Double> on, List<Double> off) {
    private static final long SETTLE_MILLIS = 500;

    static Alternation of(long[] finishedAt, long windowMillis) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (long t : finishedAt) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
      Map<Long, Integer> counts = new java.util.TreeMap<>();
      for (long t : finishedAt) {
        if (t % windowMillis >= SETTLE_MILLIS) {
          counts.merge(t / windowMillis, 1, Integer::sum);
        }
      }
      List<Double> on = new ArrayList<>();
      List<Double> off = new ArrayList<>();
      double seconds = (windowMillis - SETTLE_MILLIS) / 1000.0;
      for (Map.Entry<Long, Integer> window : counts.entrySet()) {
        long start = window.getKey() * windowMillis;
        if (start < first || start + windowMillis > last) {
          continue; // not covered whole
        }
        (window.getKey() % 2 == 0 ? on : off).add(window.getValue() / seconds);
      }
      return new Alternation(on, off);
    }

    private static double mean(List<Double> values) {
      return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "alternating log: on %.0f/s (%d windows: %s), off %.0f/s (%d windows: %s), on/off = %.3f",
          mean(on),
          on.size(),
          on.stream().map(v -> String.format(java.util.Locale.ROOT, "%.0f", v)).toList(),
          mean(off),
          off.size(),
          off.stream().map(v -> String.format(java.util.Locale.ROOT, "%.0f", v)).toList(),
          mean(on) / mean(off));
    }
  }

  /**
   * The server's CPU per attestation in the windows where it logged decisions against the others,
   * by thread kind: a sampler thread reads /proc at every window's settle point (500 ms in), so
   * each interval holds the end of one window and the start of the next, and the log writer's last
   * batch of an "on" window counts with that window. Work the log causes later (the JIT, ZGC) still
   * falls where it happens.
   */
  static final class WindowCpu {
    private final long windowMillis;
    private final List<Long> times = new ArrayList<>();
    private final List<Cpu> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean stopped;

    WindowCpu(long windowMillis) {
      this.windowMillis = windowMillis;
      this.sampler = new Thread(this::run, "window-cpu");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void run() {
      while (!stopped) {
        long now = System.currentTimeMillis();
        long next = now / windowMillis * windowMillis + Alternation.SETTLE_MILLIS;
        if (next <= now) {
          next += windowMillis;
        }
        try {
          Thread.sleep(next - now);
        } catch (InterruptedException e) {
          return;
        }
        if (stopped) {
          return;
        }
        Cpu sample = Cpu.now();
        synchronized (this) {
          times.add(next);
          samples.add(sample);
        }
      }
    }

    void close() throws InterruptedException {
      stopped = true;
      sampler.interrupt();
      sampler.join();
    }

    synchronized void print(long[] finishedAt) {
      long[] sorted = finishedAt.clone();
      java.util.Arrays.sort(sorted);
      long[] count = new long[2];
      long[] jvm = new long[2];
      long[] postgres = new long[2];
      List<Map<String, Long>> threads =
          List.of(new java.util.TreeMap<>(), new java.util.TreeMap<>());
      for (int i = 0; i + 1 < samples.size(); i++) {
        long from = times.get(i);
        long to = times.get(i + 1);
        int n = countBetween(sorted, from, to);
        if (n == 0 || to - from != windowMillis) {
          continue; // outside the phase, or a sample was late
        }
        int kind = (from / windowMillis) % 2 == 0 ? 0 : 1;
        Cpu used = samples.get(i + 1).minus(samples.get(i));
        count[kind] += n;
        jvm[kind] += used.jvmNanos();
        postgres[kind] += used.postgresNanos();
        used.jvmThreads().forEach((name, nanos) -> threads.get(kind).merge(name, nanos, Long::sum));
      }
      if (count[0] == 0 || count[1] == 0) {
        return;
      }
      System.out.printf(
          java.util.Locale.ROOT,
          "alternating CPU per attestation: on jvm=%.0fus postgres=%.0fus, off jvm=%.0fus"
              + " postgres=%.0fus (%d and %d attestations)%n",
          jvm[0] / 1e3 / count[0],
          postgres[0] / 1e3 / count[0],
          jvm[1] / 1e3 / count[1],
          postgres[1] / 1e3 / count[1],
          count[0],
          count[1]);
      java.util.Set<String> names = new java.util.TreeSet<>(threads.get(0).keySet());
      names.addAll(threads.get(1).keySet());
      for (String name : names) {
        double on = threads.get(0).getOrDefault(name, 0L) / 1e3 / count[0];
        double off = threads.get(1).getOrDefault(name, 0L) / 1e3 / count[1];
        if (on >= 0.5 || off >= 0.5) {
          System.out.printf(
              java.util.Locale.ROOT,
              "  alternating: server thread %s: on %.1fus off %.1fus (%+.1f)%n",
              name,
              on,
              off,
              on - off);
        }
      }
    }

    private static int countBetween(long[] sorted, long from, long to) {
      return lowerBound(sorted, to) - lowerBound(sorted, from);
    }

    private static int lowerBound(long[] sorted, long value) {
      int index = java.util.Arrays.binarySearch(sorted, value);
      if (index < 0) {
        return -index - 1;
      }
      while (index > 0 && sorted[index - 1] == value) {
        index--;
      }
      return index;
    }
  }

  /**
   * CPU time (user + system, from /proc) of the server's JVM ({@code -Dattest.serverPid}), of its
   * descendants (the embedded PostgreSQL), and of this generator; all -1 when unknown.
   */
  private record Cpu(
      long wallNanos,
      long jvmNanos,
      long jvmKernelNanos,
      long postgresNanos,
      long generatorNanos,
      Map<String, Long> jvmThreads,
      Map<String, Long> jvmSleeps) {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100

    static Cpu now() {
      long wall = System.nanoTime();
      String pid = System.getProperty("attest.serverPid");
      long generator = processNanos(String.valueOf(ProcessHandle.current().pid()));
      if (pid == null) {
        return new Cpu(wall, -1, -1, -1, generator, Map.of(), Map.of());
      }
      long[] jvm = processTimes(pid);
      long postgres =
          ProcessHandle.of(Long.parseLong(pid)).stream()
              .flatMap(ProcessHandle::descendants)
              .mapToLong(p -> Math.max(0, processNanos(String.valueOf(p.pid()))))
              .sum();
      Map<String, Long> sleeps = new java.util.TreeMap<>();
      return new Cpu(wall, jvm[0], jvm[1], postgres, generator, threads(pid, sleeps), sleeps);
    }

    /**
     * CPU nanoseconds per server thread kind (names with digits folded), -Dattest.threads; {@code
     * sleeps} gets the kind's voluntary context switches (each a block, so each later a wake-up).
     */
    private static Map<String, Long> threads(String pid, Map<String, Long> sleeps) {
      return Boolean.getBoolean("attest.threads") ? byKind(pid, sleeps) : Map.of();
    }

    /**
     * CPU nanoseconds of a process's threads by kind (names with digits folded: "C2 CompilerThre"
     * is "CN CompilerThre"); {@code sleeps}, when not null, gets each kind's voluntary switches.
     */
    private static Map<String, Long> byKind(String pid, Map<String, Long> sleeps) {
      Map<String, Long> byKind = new java.util.TreeMap<>();
      try (var tasks = java.nio.file.Files.list(Path.of("/proc", pid, "task"))) {
        for (Path task : tasks.toList()) {
          try {
            String stat = java.nio.file.Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String kind = name.replaceAll("[0-9]+", "N");
            byKind.merge(kind, cpuNanos(stat), Long::sum);
            if (sleeps == null) {
              continue;
            }
            String status = java.nio.file.Files.readString(task.resolve("status"));
            int at = status.indexOf("\nvoluntary_ctxt_switches:");
            if (at >= 0) {
              int from = status.indexOf(':', at) + 1;
              int to = status.indexOf('\n', from);
              sleeps.merge(kind, Long.parseLong(status.substring(from, to).trim()), Long::sum);
            }
          } catch (IOException | RuntimeException e) {
            // the thread ended
          }
        }
      } catch (IOException e) {
        return Map.of();
      }
      return byKind;
    }

    Cpu minus(Cpu earlier) {
      return new Cpu(
          wallNanos - earlier.wallNanos,
          jvmNanos - earlier.jvmNanos,
          jvmKernelNanos - earlier.jvmKernelNanos,
          postgresNanos - earlier.postgresNanos,
          generatorNanos - earlier.generatorNanos,
          jvmThreads.entrySet().stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      Map.Entry::getKey,
                      e -> e.getValue() - earlier.jvmThreads.getOrDefault(e.getKey(), 0L))),
          jvmSleeps.entrySet().stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      Map.Entry::getKey,
                      e -> e.getValue() - earlier.jvmSleeps.getOrDefault(e.getKey(), 0L))));
    }

    /** Per attestation for the server, and how busy each side's core was. */
    void print(String phase, Result result) {
      int n = result.latencies().length;
      if (n == 0 || jvmNanos < 0) {
        return;
      }
      System.out.printf(
          "%s: server CPU per attestation jvm=%.0fus (%.0fus of it in the kernel) postgres=%.0fus;"
              + " busy: server core %.0f%%, generator core %.0f%%%n",
          phase,
          jvmNanos / 1e3 / n,
          jvmKernelNanos / 1e3 / n,
          postgresNanos / 1e3 / n,
          100.0 * (jvmNanos + postgresNanos) / wallNanos,
          100.0 * generatorNanos / wallNanos);
      jvmThreads.entrySet().stream()
          .filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e ->
              System.out.printf(
                  "  %s: server thread %s: %.0fus and %.2f sleeps per attestation%n",
                  phase,
                  e.getKey(),
                  e.getValue() / 1e3 / n,
                  jvmSleeps.getOrDefault(e.getKey(), 0L) / (double) n));
    }

    /** CPU nanoseconds the JIT compiler threads of a process have used, 0 when unreadable. */
    static long compilerNanos(String pid) {
      return byKind(pid, null).entrySet().stream()
          .filter(e -> e.getKey().startsWith("CN Compiler"))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    /** User + system CPU nanoseconds of a process (all its threads), -1 when unreadable. */
    private static long processNanos(String pid) {
      return processTimes(pid)[0];
    }

    /**
     * User + system, and system (kernel) alone, CPU nanoseconds of a process; -1s when unreadable.
     */
    private static long[] processTimes(String pid) {
      try {
        String[] fields = fields(java.nio.file.Files.readString(Path.of("/proc", pid, "stat")));
        long system = Long.parseLong(fields[12]) * TICK_NANOS;
        return new long[] {Long.parseLong(fields[11]) * TICK_NANOS + system, system};
      } catch (IOException | RuntimeException e) {
        return new long[] {-1, -1};
      }
    }

    /** utime + stime of a /proc {@code stat} line (fields 14 and 15, after the command name). */
    private static long cpuNanos(String stat) {
      String[] fields = fields(stat);
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
    }

    /** The fields of a /proc {@code stat} line after the command name (the state is [0]). */
    private static String[] fields(String stat) {
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
  }

  /** Registers the workload with one version and accepts it; waits until attestation passes. */
  private void setUp() throws Exception {
    try (Connection admin = new Connection(operator, server)) {
      admin.exchange(post("/v1/workloads", Json.write(Map.of("name", WORKLOAD))));
      admin.exchange(
          post(
              "/v1/workloads/" + WORKLOAD + "/versions",
              Json.write(
                  Map.of(
                      "version",
                      "1",
                      "reference_values",
                      Map.of("sample", Map.of("measurement", MEASUREMENT))))));
      int status =
          admin.exchange(
              post(
                  "/v1/workloads/" + WORKLOAD + "/policy/accept",
                  Json.write(Map.of("version", "1", "reason", "bench"))));
      if (status != 200 && status != 201) {
        throw new IllegalStateException("policy accept answered " + status);
      }
    }
    // the policy cache follows the new revision through LISTEN/NOTIFY: wait for the first 200
    long deadline = System.nanoTime() + 30_000_000_000L;
    try (Connection connection = new Connection(anonymous, server)) {
      while (true) {
        byte[][] one = prepare(1, 1);
        int status = connection.exchange(one[0]);
        if (status == 200) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("attest still answers " + status + " after 30 s");
        }
        Thread.sleep(100);
      }
    }
  }

  private byte[] post(String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + server.getHost()
            + ":"
            + server.getPort()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  /** {@code count} complete attest requests, each with its own fresh nonce and signed evidence. */
  private byte[][] prepare(int count, int connections) throws Exception {
    String[] nonces = new String[count];
    byte[] challenge = post("/v1/challenge", "{}");
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < connections; c++) {
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                try (Connection connection = new Connection(anonymous, server)) {
                  int i;
                  while ((i = next.getAndIncrement()) < count) {
                    if (connection.exchange(challenge) != 200) {
                      throw new IllegalStateException("challenge failed");
                    }
                    nonces[i] =
                        Json.mapper().readTree(connection.lastBody()).path("nonce").asText();
                  }
                } catch (Exception e) {
                  failures.add(e);
                }
              }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    byte[][] requests = new byte[count][];
    for (int i = 0; i < count; i++) {
      ECKey key = teeKeys.get(i % teeKeys.size());
      byte[] binding = Binding.value(Base64.getUrlDecoder().decode(nonces[i]), key);
      String evidence = SampleEvidence.sign(attestationKey, MEASUREMENT, null, binding);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("workload", WORKLOAD);
      body.put("instance_id", "bench-" + (i % 500));
      body.put("nonce", nonces[i]);
      body.put("tee_key", teeJwks.get(i % teeKeys.size()));
      body.put(
          "evidence",
          Map.of(
              "format",
              "sample",
              "data",
              Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
      requests[i] = post("/v1/attest", Json.write(body));
    }
    return requests;
  }

  /**
   * Latencies in nanoseconds (sorted), answers, failures and the answered rate; for a closed loop
   * also each request's wall-clock completion time in ms (for alternating runs; else empty).
   */
  record Result(
      long[] latencies,
      int failures,
      double throughput,
      Map<Integer, Integer> statuses,
      long[] finishedAt) {
    Result withFinishedAt(long[] times) {
      return new Result(latencies, failures, throughput, statuses, times);
    }

    double percentile(double p) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p * latencies.length) - 1;
      return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
    }

    @Override
    public String toString() {
      return String.format(
          "n=%d failures=%d statuses=%s throughput=%.0f/s p50=%.2fms p90=%.2fms p99=%.2fms"
              + " p99.9=%.2fms max=%.2fms",
          latencies.length,
          failures,
          statuses,
          throughput,
          percentile(0.5),
          percentile(0.9),
          percentile(0.99),
          percentile(0.999),
          percentile(1.0));
    }
  }

  /**
   * Closed loop for {@code seconds} or until the {@code pool} of prepared requests is used up:
   * answers per second.
   */
  private Result closedLoop(int connections, double seconds, byte[][] requests) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long[] latencies = new long[requests.length];
    int[] statuses = new int[requests.length];
    long[] finishedAt = new long[requests.length];
    AtomicLong lastEnd = new AtomicLong();
    // connections (TLS handshakes) are set up before the clock starts
    List<Connection> open = connect(connections);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (Connection opened : open) {
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                try (Connection connection = opened) {
                  int i;
                  while (System.nanoTime() < end
                      && (i = next.getAndIncrement()) < requests.length) {
                    long t0 = System.nanoTime();
                    statuses[i] = connection.exchange(requests[i]);
                    long t1 = System.nanoTime();
                    latencies[i] = t1 - t0;
                    finishedAt[i] = System.currentTimeMillis();
                    lastEnd.accumulateAndGet(t1, Math::max);
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    int done = Math.min(next.get(), requests.length);
    return result(latencies, statuses, done, (lastEnd.get() - start) / 1e9)
        .withFinishedAt(Arrays.copyOf(finishedAt, done));
  }

  /** {@code count} keep-alive connections, handshakes done (in parallel), before any clock. */
  private List<Connection> connect(int count) throws Exception {
    Connection[] out = new Connection[count];
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < count; c++) {
      int slot = c;
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                try {
                  out[slot] = new Connection(anonymous, server);
                } catch (Exception e) {
                  failures.add(e);
                }
              }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      for (Connection c : out) {
        if (c != null) {
          c.close();
        }
      }
      throw failures.get(0);
    }
    return List.of(out);
  }

  /**
   * What an open loop measures per request: its latency from its due time, how late it left after
   * it was due and its connection free (the generator's own delay), its status; and the latest
   * answer's time (nanoTime).
   */
  record Tally(long[] latencies, long[] lateness, int[] statuses, AtomicLong lastEnd) {
    Tally(int count) {
      this(new long[count], new long[count], new int[count], new AtomicLong());
    }

    /** Request i, due at {@code due}, left at {@code sent} and was answered at {@code answered}. */
    void record(int i, long due, long free, long sent, int status, long answered) {
      lateness[i] = sent - Math.max(due, free);
      statuses[i] = status;
      latencies[i] = answered - due;
      lastEnd.accumulateAndGet(answered, Math::max);
    }
  }

  /** Sends an open loop's requests, request i due at {@code start + i / rate} (nanoTime). */
  @FunctionalInterface
  interface Sender {
    void send(long start, double rate, byte[][] requests, Tally tally) throws Exception;
  }

  /**
   * One platform thread per connection, sleeping until its next request is due and blocking until
   * its answer comes (costs little CPU; on a VM each wake-up can come late, see {@link
   * SpinningOpenLoop}).
   */
  private static Sender blocking(List<Connection> connections) {
    return (start, rate, requests, tally) -> {
      int count = requests.length;
      AtomicInteger next = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (Connection connection : connections) {
        threads.add(
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    int i;
                    long free = 0;
                    while ((i = next.getAndIncrement()) < count) {
                      long due = start + (long) (i / rate * 1e9);
                      long wait;
                      while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                      }
                      long sent = System.nanoTime();
                      int status = connection.exchange(requests[i]);
                      long answered = System.nanoTime();
                      tally.record(i, due, free, sent, status, answered);
                      free = answered;
                    }
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
    };
  }

  /**
   * Open loop at {@code rate}/s over {@code requests}: request i is due at start + i/rate; latency
   * is measured from that intended start (coordinated-omission correction). The {@code sender}'s
   * connections are open already and left open.
   */
  private Result openLoop(double rate, byte[][] requests, Sender sender) throws Exception {
    int count = requests.length;
    Tally tally = new Tally(count);
    long start = System.nanoTime() + 50_000_000L;
    sender.send(start, rate, requests, tally);
    long[] latencies = tally.latencies();
    // how late each request left this generator after its connection was free and it was due
    // (this generator's own scheduling and GC, not the server's backlog): part of the latency
    // above, printed apart so a busy generator core is not mistaken for a slow server
    long[] lateness = tally.lateness();
    int[] statuses = tally.statuses();
    AtomicLong lastEnd = tally.lastEnd();
    java.time.Instant started =
        java.time.Instant.ofEpochMilli(
            System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000);
    double seconds = (lastEnd.get() - start) / 1e9;
    // bench/attest-load reads the last of these lines (the measured window) for ATTEST_HICCUPS
    System.out.printf("open loop window: start=%s seconds=%.1f%n", started, seconds);
    if (Boolean.getBoolean("attest.timeline")) {
      System.out.println("open loop started at " + started);
      timeline(latencies, rate);
    }
    Result late = result(lateness, statuses, count, seconds);
    System.out.printf(
        "open loop: this generator's own delay (due and connection free → sent) p50=%.2fms"
            + " p99=%.2fms max=%.2fms%n",
        late.percentile(0.5), late.percentile(0.99), late.percentile(1.0));
    // the same latencies less that delay: what the server and the network added, with a server
    // backlog that kept a connection busy past a request's due time still counted (coordinated
    // omission stays corrected); the generator's receive side is still in it
    long[] withoutOwnDelay = new long[count];
    for (int i = 0; i < count; i++) {
      withoutOwnDelay[i] = latencies[i] - lateness[i];
    }
    System.out.printf(
        "open loop: latency without this generator's own send delay %s%n",
        result(withoutOwnDelay, statuses, count, seconds));
    return result(latencies, statuses, count, seconds);
  }

  /**
   * Where the slow requests of an open loop fall ({@code -Dattest.timeline=true}): per 100 ms of
   * intended start, how many took over {@code -Dattest.timelineSlowMs} (default 20) and the worst,
   * for the buckets that had any.
   */
  private static void timeline(long[] latencies, double rate) {
    long slowMs = Long.getLong("attest.timelineSlowMs", 20);
    Map<Integer, long[]> buckets = new java.util.TreeMap<>();
    for (int i = 0; i < latencies.length; i++) {
      if (latencies[i] > slowMs * 1_000_000L) {
        long[] b = buckets.computeIfAbsent((int) (i / rate * 10), k -> new long[2]);
        b[0]++;
        b[1] = Math.max(b[1], latencies[i]);
      }
    }
    StringBuilder out =
        new StringBuilder("open-loop timeline (100 ms bucket: slow>" + slowMs + "ms, worst ms):");
    buckets.forEach((k, b) ->
        out.append(
            String.format(java.util.Locale.ROOT, " %.1fs:%d/%.0f", k / 10.0, b[0], b[1] / 1e6)));
    System.out.println(out);
  }

  private static Result result(long[] latencies, int[] statuses, int done, double seconds) {
    long[] sorted = Arrays.copyOf(latencies, done);
    Arrays.sort(sorted);
    Map<Integer, Integer> counts = new java.util.TreeMap<>();
    int failures = 0;
    for (int i = 0; i < done; i++) {
      counts.merge(statuses[i], 1, Integer::sum);
      if (statuses[i] != 200) {
        failures++;
      }
    }
    return new Result(sorted, failures, done / seconds, counts, new long[0]);
  }

  /** One keep-alive HTTPS connection: writes prepared request bytes, reads one response. */
  static final class Connection implements AutoCloseable {
    /** Refusals by status and problem type, over the whole run (printed at the end). */
    static final Map<String, java.util.concurrent.atomic.LongAdder> PROBLEMS =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] lastBody = new byte[0];

    Connection(SSLContext context, URI server) throws IOException {
      socket =
          (SSLSocket) context.getSocketFactory().createSocket(server.getHost(), server.getPort());
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    /** Sends one request, reads the whole response; returns its status. */
    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String statusLine = line();
      int status = Integer.parseInt(statusLine.substring(9, 12));
      int length = -1;
      boolean chunked = false;
      String header;
      while (!(header = line()).isEmpty()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Integer.parseInt(header.substring(colon + 1).trim());
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = header.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        }
      }
      if (chunked) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int size;
        while ((size = Integer.parseInt(line().trim(), 16)) > 0) {
          body.write(in.readNBytes(size));
          line();
        }
        line();
        lastBody = body.toByteArray();
      } else {
        lastBody = in.readNBytes(Math.max(length, 0));
      }
      if (status >= 400) {
        noteRefusal(status, lastBody);
      }
      return status;
    }

    /** Counts a refusal by its status and problem type. */
    static void noteRefusal(int status, byte[] body) throws IOException {
      PROBLEMS
          .computeIfAbsent(
              status + " " + Json.mapper().readTree(body).path("type").asText("(no type)"),
              k -> new java.util.concurrent.atomic.LongAdder())
          .increment();
    }

    byte[] lastBody() {
      return lastBody;
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
