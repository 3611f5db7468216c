// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.crypto.Providers;
import dev.arbiter.supplychain.provenance.ProvenanceOptions;
import dev.arbiter.supplychain.provenance.ProvenanceResult;
import dev.arbiter.supplychain.provenance.ProvenanceVerifier;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Full offline verification of a keyless Sigstore bundle with DSSE SLSA provenance, one thread:
 * bundle parse, Rekor SET, inclusion proof and signed checkpoint, tlog body consistency, Fulcio
 * leaf signature and validity (the CA-internal chain is cached), embedded SCT, DSSE signature over
 * the PAE, Statement parse and predicate/builder extraction. Same work as the sigstore-js peer on
 * p02 (shared/peers). Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ProvenanceBenchmark {
  @Param({
    "p02_slsa-v1_npm-sigstore-2.0.0.bundle-v0.1.json",
    "p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json"
  })
  public String bundle;

  private byte[] bytes;
  private ProvenanceOptions options;

  @Setup
  public void setUp() throws IOException {
    Path dir = RepoPaths.sharedVectors().resolve("supplychain/provenance");
    bytes = Files.readAllBytes(dir.resolve(bundle));
    options =
        ProvenanceOptions.defaults()
            .withTrustedRoot(
                TrustedRoot.parse(
                    Files.readAllBytes(
                        dir.resolve("trust/sigstore-go_trusted-root-public-good.json"))))
            .withInsecureIgnoreIdentity(); // cryptographic cost only; identity checks are string
    // compares
    ProvenanceResult result = ProvenanceVerifier.verify(bytes, options);
    if (!result.valid()) {
      throw new IllegalStateException("benchmark input does not verify: " + result.problems());
    }
  }

  @Benchmark
  public ProvenanceResult verifyBundle() {
    return ProvenanceVerifier.verify(bytes, options);
  }

  /**
   * Runs this benchmark; JMH command-line options (e.g. {@code -prof stack}, {@code -f 0}) are
   * passed through.
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    System.out.println("signature provider: " + Providers.signatureProviderName());
    new Runner(
            new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(ProvenanceBenchmark.class.getSimpleName())
                .build())
        .run();
  }
}
