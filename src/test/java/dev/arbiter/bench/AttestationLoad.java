// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.Providers;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.evidence.sevsnp.Product;
import dev.arbiter.evidence.sevsnp.SnpFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load harness: attestations per second over HTTPS on loopback with concurrent clients, for the
 * sample scheme and for SEV-SNP reports (test AMD PKI, warm chain cache), then latency at about 70%
 * of the measured saturation. Requests (nonce, evidence) are prepared before the timed phase so the
 * generator does not sign while measuring. Run: see docs/benchmarks.md.
 */
public final class AttestationLoad {
  private AttestationLoad() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    // third argument "log-off": decisions are not logged, to measure what the transparency log
    // costs (docs/benchmarks.md compares both)
    boolean logOff = args.length > 2 && args[2].equals("log-off");
    System.out.println("transparency log of decisions: " + (logOff ? "off" : "on"));
    try (TestServer server =
        TestServer.start(config ->
            config
                .withDev(true)
                .withLog(logOff ? config.log().withoutDecisionsForBenchmarks() : config.log())
                .withSchemes(
                    BuiltInSchemes.registry().with(SnpFixtures.pki(Product.MILAN).scheme())))) {
      var operator = server.operator();
      operator.post("/v1/workloads", Map.of("name", "bench"));
      byte[] measurement = Hex.decode("5a".repeat(48));
      operator.post(
          "/v1/workloads/bench/versions",
          Map.of(
              "version",
              "1",
              "reference_values",
              Map.of(
                  "sample",
                  Map.of("measurement", "be9c"),
                  "sev-snp",
                  Map.of("measurement", Hex.encode(measurement)))));
      operator.post("/v1/workloads/bench/policy/accept", Map.of("version", "1", "reason", "bench"));
      server.server().services().policyCache().reload("bench");
      System.out.printf(
          "provider=%s cores=%d requests=%d clients=%d%n",
          Providers.signatureProviderName(),
          Runtime.getRuntime().availableProcessors(),
          requests,
          clients);
      System.out.printf(
          "raw ES256 verify/s (1 thread) = %.0f, raw ES384 verify/s = %.0f%n",
          rawVerify("secp256r1", "SHA256withECDSA"), rawVerify("secp384r1", "SHA384withECDSA"));
      for (String format : List.of("sample", "sev-snp")) {
        // warm-up (-Dwarmup=N, default 500): the JIT, the policy cache, the log writer
        run(server, format, Integer.getInteger("warmup", Math.min(500, requests)), clients, 0);
        double saturated = run(server, format, requests, clients, 0);
        run(server, format, requests / 2, clients, saturated * 0.7);
      }
    }
  }

  static double rawVerify(String curve, String algorithm) throws Exception {
    var pair = dev.arbiter.crypto.CertBuilder.ecKeyPair(curve);
    byte[] data = new byte[1184];
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(pair.getPrivate());
    signer.update(data);
    byte[] sig = signer.sign();
    long end = System.nanoTime() + 2_000_000_000L;
    int count = 0;
    long start = System.nanoTime();
    while (System.nanoTime() < end) {
      Signature verifier = Providers.signature(algorithm);
      verifier.initVerify(pair.getPublic());
      verifier.update(data);
      verifier.verify(sig);
      count++;
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** Runs {@code count} attestations; {@code rate} > 0 paces them. Returns achieved requests/s. */
  static double run(TestServer server, String format, int count, int clients, double rate)
      throws Exception {
    List<String> bodies = prepare(server, format, count);
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(
                dev.arbiter.crypto.TlsContexts.create(
                    null, null, server.dataDir().resolve("ca.pem")))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    long jvmCpu0 = jvmCpuNanos();
    long pgCpu0 = postgresCpuMillis(server);
    long start = System.nanoTime();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < bodies.size()) {
            if (rate > 0) {
              long due = start + (long) (i / rate * 1e9);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
              }
            }
            long t0 = System.nanoTime();
            HttpResponse<String> response =
                http.send(
                    HttpRequest.newBuilder(server.uri().resolve("/v1/attest"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            latencies.add(System.nanoTime() - t0);
            if (response.statusCode() != 200) {
              failures.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double jvmCpuMicros = (jvmCpuNanos() - jvmCpu0) / 1e3 / bodies.size();
    double pgCpuMicros = (postgresCpuMillis(server) - pgCpu0) * 1e3 / bodies.size();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double throughput = bodies.size() / seconds;
    System.out.printf(
        "%-8s %-11s n=%d failures=%d throughput=%.0f/s p50=%.2fms p99=%.2fms"
            + " cpu/request: jvm=%.0fus postgres=%.0fus%n",
        format,
        rate > 0 ? String.format("@%.0f/s", rate) : "saturated",
        bodies.size(),
        failures.get(),
        throughput,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        jvmCpuMicros,
        pgCpuMicros);
    return throughput;
  }

  /**
   * CPU time of this JVM (server and load generator): on a shared machine CPU per request stays
   * meaningful when throughput mostly measures the other builds.
   */
  static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * utime + stime (ms) of the embedded PostgreSQL: its postmaster (from {@code postmaster.pid}
   * under the data directory), its live children and the exited ones it reaped (autovacuum workers;
   * Linux {@code /proc}); -1 elsewhere.
   */
  static long postgresCpuMillis(TestServer server) {
    try (var files = java.nio.file.Files.walk(server.dataDir(), 4)) {
      var pidFile =
          files.filter(f -> f.getFileName().toString().equals("postmaster.pid")).findFirst();
      if (pidFile.isEmpty()) {
        return -1;
      }
      long postmaster =
          Long.parseLong(java.nio.file.Files.readAllLines(pidFile.get()).get(0).trim());
      long ticks = 0;
      try (var processes = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
        for (var process : processes.toList()) {
          String name = process.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          String stat;
          try {
            stat = java.nio.file.Files.readString(process.resolve("stat"));
          } catch (java.io.IOException gone) {
            continue;
          }
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(name) == postmaster || Long.parseLong(fields[1]) == postmaster) {
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
          if (Long.parseLong(name) == postmaster) {
            // children that exited (autovacuum workers): their time, once the postmaster reaped
            // them
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
          }
        }
      }
      return ticks * 10;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  static List<String> prepare(TestServer server, String format, int count) throws Exception {
    List<String> bodies = new ArrayList<>(count);
    ECKey attestationKey = new ECKeyGenerator(Curve.P_256).generate();
    var pki = SnpFixtures.pki(Product.MILAN);
    byte[] chipId = SnpFixtures.chipId(Product.MILAN, 1);
    var vcek = SnpFixtures.vcek(pki, chipId, SnpFixtures.TCB);
    String vcekB64 = Base64.getEncoder().encodeToString(vcek.certificate().getEncoded());
    var anonymous = server.anonymous();
    List<ECKey> keys = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      keys.add(new ECKeyGenerator(Curve.P_256).generate());
    }
    for (int i = 0; i < count; i++) {
      ECKey key = keys.get(i % keys.size());
      String nonce = anonymous.post("/v1/challenge", Map.of()).json().path("nonce").asText();
      byte[] binding = Binding.value(Base64.getUrlDecoder().decode(nonce), key);
      Map<String, Object> evidence;
      if (format.equals("sample")) {
        evidence =
            Map.of(
                "format",
                "sample",
                "data",
                Base64.getEncoder()
                    .encodeToString(
                        SampleEvidence.sign(attestationKey, "be9c", null, binding)
                            .getBytes(StandardCharsets.US_ASCII)));
      } else {
        byte[] report =
            SnpFixtures.report(Product.MILAN)
                .chipId(chipId)
                .reportData(binding)
                .measurement(Hex.decode("5a".repeat(48)))
                .signedBy(vcek.key().getPrivate());
        evidence =
            Map.of(
                "format",
                "sev-snp",
                "data",
                Base64.getEncoder().encodeToString(report),
                "certificates",
                List.of(vcekB64));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("workload", "bench");
      body.put("instance_id", "bench-" + (i % 500));
      body.put("nonce", nonce);
      body.put("tee_key", key.toPublicJWK().toJSONObject());
      body.put("evidence", evidence);
      bodies.add(Json.write(body));
    }
    return bodies;
  }
}
