// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.azure.AzureSnpScheme;
import dev.arbiter.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Azure SEV-SNP CVM evidence verification throughput on the real trustee vectors, pinned AMD roots:
 * trustee's evidence-v1.json (base64url HCL report + VCEK, hex vTPM quote) and the split form (HCL
 * report, bincode vTPM quote, VCEK + ASK + ARK PEM). Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AzureBenchmark {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private AzureSnpScheme scheme;
  private EvidenceInput evidenceJson;
  private EvidenceInput split;
  private ExpectedBinding nonce;
  private dev.arbiter.evidence.sevsnp.SevSnpScheme snp;
  private EvidenceInput snpOnly;

  @Setup
  public void setUp() throws Exception {
    Path dir = RepoPaths.sharedVectors().resolve("azure/trustee-az-snp-vtpm");
    evidenceJson = EvidenceInput.of(Files.readAllBytes(dir.resolve("evidence-v1.json")));
    split =
        EvidenceInput.of(Files.readAllBytes(dir.resolve("hcl-report.bin")))
            .withSignature(Files.readAllBytes(dir.resolve("quote.bin")))
            .withCertificates(List.of(Files.readAllBytes(dir.resolve("vcek.pem"))));
    scheme = AzureSnpScheme.withPinnedRoots();
    nonce = ExpectedBinding.exactly("challenge".getBytes(StandardCharsets.US_ASCII));
    snp = dev.arbiter.evidence.sevsnp.SevSnpScheme.withPinnedRoots();
    byte[] hcl = Files.readAllBytes(dir.resolve("hcl-report.bin"));
    snpOnly =
        EvidenceInput.of(java.util.Arrays.copyOfRange(hcl, 32, 32 + 1184))
            .withCertificates(List.of(Files.readAllBytes(dir.resolve("vcek.pem"))));
    check(evidenceV1Json());
    check(hclReportAndBincodeQuote());
    check(snpOnly());
  }

  private static void check(VerificationResult result) {
    if (!result.valid()) {
      throw new IllegalStateException("benchmark input does not verify: " + result.problems());
    }
  }

  @Benchmark
  public VerificationResult evidenceV1Json() {
    return scheme.verify(evidenceJson, nonce, AT);
  }

  @Benchmark
  public VerificationResult hclReportAndBincodeQuote() {
    return scheme.verify(split, nonce, AT);
  }

  /**
   * The SNP half alone: the HCL report's SNP slot through {@code SevSnpScheme} (for the overhead
   * figure).
   */
  public VerificationResult snpOnly() {
    return snp.verify(snpOnly, ExpectedBinding.none(), AT);
  }

  /**
   * {@code AzureBenchmark} runs JMH; {@code AzureBenchmark cpu [rounds]} counts operations per CPU
   * second of this thread (interleaved rounds of 300), which is stabler on a loaded machine.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("cpu")) {
      new Runner(new OptionsBuilder().include(AzureBenchmark.class.getSimpleName()).build()).run();
      return;
    }
    AzureBenchmark bench = new AzureBenchmark();
    bench.setUp();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<String, java.util.function.Supplier<VerificationResult>> ops =
        new java.util.LinkedHashMap<>();
    ops.put("evidenceV1Json", bench::evidenceV1Json);
    ops.put("hclReportAndBincodeQuote", bench::hclReportAndBincodeQuote);
    ops.put("snpOnly", bench::snpOnly);
    java.util.Map<String, long[]> totals = new java.util.LinkedHashMap<>();
    for (int round = 0; round < rounds + 2; round++) {
      for (var op : ops.entrySet()) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 300; i++) {
          check(op.getValue().get());
        }
        long used = threads.getCurrentThreadCpuTime() - start;
        if (round >= 2) {
          long[] total = totals.computeIfAbsent(op.getKey(), k -> new long[2]);
          total[0] += 300;
          total[1] += used;
        }
      }
    }
    totals.forEach((name, total) ->
        System.out.printf("%-26s %,8.0f ops/CPU-s%n", name, total[0] * 1e9 / total[1]));
  }
}
