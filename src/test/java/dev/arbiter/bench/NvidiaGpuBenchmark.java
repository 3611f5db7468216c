// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.nvidia.NvidiaGpuScheme;
import dev.arbiter.internal.Hex;
import dev.arbiter.testing.RepoPaths;
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
 * NVIDIA H100 report verification throughput on the real nvtrust reports (SPDM parse, ECDSA P-384
 * signature, 5-certificate device chain, cached after the first call), and with the signed VBIOS
 * RIM (XML-DSig validation and RIM chain on every call). Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class NvidiaGpuBenchmark {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z"));
  private final NvidiaGpuScheme scheme = NvidiaGpuScheme.withPinnedRoots();
  private EvidenceInput report;
  private EvidenceInput reportWithRim;
  private ExpectedBinding nonce;

  @Setup
  public void setUp() throws Exception {
    Path dir = RepoPaths.sharedVectors().resolve("nvidia-gpu/nvtrust");
    report =
        EvidenceInput.of(
                Hex.decode(Files.readString(dir.resolve("hopperAttestationReport.txt")).strip()))
            .withCertificates(List.of(Files.readAllBytes(dir.resolve("hopperCertChain.txt"))));
    nonce =
        ExpectedBinding.exactly(
            Hex.decode("931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb"));
    reportWithRim =
        EvidenceInput.of(
                Hex.decode(Files.readString(dir.resolve("2023-attestationReport.txt")).strip()))
            .withCertificates(List.of(Files.readAllBytes(dir.resolve("2023-gpuAkCertChain.txt"))))
            .withCollateral(
                List.of(
                    new EvidenceInput.Collateral(
                        "vbios.swidtag",
                        Files.readAllBytes(dir.resolve("1010_0200_882_96005E0001_PROD.swidtag")))));
    check(scheme.verify(report, nonce, AT));
    check(reportWithVbiosRim());
  }

  private static void check(VerificationResult result) {
    if (!result.valid()) {
      throw new IllegalStateException("benchmark input does not verify: " + result.problems());
    }
  }

  @Benchmark
  public VerificationResult report() {
    return scheme.verify(report, nonce, AT);
  }

  @Benchmark
  public VerificationResult reportWithVbiosRim() {
    return scheme.verify(reportWithRim, ExpectedBinding.none(), AT);
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(NvidiaGpuBenchmark.class.getSimpleName()).build())
        .run();
  }
}
