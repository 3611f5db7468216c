// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.crypto.Providers;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.cca.CcaScheme;
import dev.arbiter.evidence.nitro.NitroScheme;
import dev.arbiter.evidence.psa.PsaScheme;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
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
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Single-thread throughput of full verification of the shared vectors: Nitro (the Evervault
 * document the Nitro peer is measured on, pinned AWS root, warm chain cache, and the same with a
 * cold cache), CCA (TF-RMM token, CPAK from PEM) and PSA (TF-M token, IAK from PEM). Key files are
 * parsed per call as the CLI does. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class CoseEvidenceBenchmark {
  private NitroScheme nitro;
  private EvidenceInput nitroInput;
  private VerificationContext nitroAt;
  private final CcaScheme cca = CcaScheme.withSuppliedKeys();
  private EvidenceInput ccaInput;
  private final PsaScheme psa = PsaScheme.withSuppliedKeys();
  private EvidenceInput psaInput;
  private final VerificationContext anyTime = VerificationContext.at(Instant.EPOCH);

  @Setup
  public void setUp() throws IOException {
    Path vectors = RepoPaths.sharedVectors();
    nitro = NitroScheme.withPinnedRoot();
    nitroInput =
        EvidenceInput.of(
            Files.readAllBytes(vectors.resolve("nitro/evervault/valid-attestation-doc-bytes")));
    nitroAt = VerificationContext.at(Instant.ofEpochSecond(1665651483));
    ccaInput =
        EvidenceInput.of(
                Files.readAllBytes(vectors.resolve("cca/veraison-ccatoken/cca_token.cbor")))
            .withKeys(
                List.of(
                    Files.readAllBytes(vectors.resolve("cca/veraison-ccatoken/cca_platform.pub"))));
    psaInput =
        EvidenceInput.of(
                Files.readAllBytes(vectors.resolve("psa/veraison-psatoken/psa-2_0_0_sign1.bin")))
            .withKeys(
                List.of(Files.readAllBytes(vectors.resolve("psa/veraison-psatoken/public.pem"))));
    for (VerificationResult result : List.of(nitroWarmChain(), ccaToken(), psaToken())) {
      if (!result.valid()) {
        throw new IllegalStateException("benchmark input does not verify: " + result.problems());
      }
    }
  }

  @Benchmark
  public VerificationResult nitroWarmChain() {
    return nitro.verify(nitroInput, ExpectedBinding.none(), nitroAt);
  }

  @Benchmark
  public VerificationResult nitroColdChain() {
    return NitroScheme.withPinnedRoot().verify(nitroInput, ExpectedBinding.none(), nitroAt);
  }

  @Benchmark
  public VerificationResult ccaToken() {
    return cca.verify(ccaInput, ExpectedBinding.none(), anyTime);
  }

  @Benchmark
  public VerificationResult psaToken() {
    return psa.verify(psaInput, ExpectedBinding.none(), anyTime);
  }

  public static void main(String[] args) throws RunnerException {
    System.out.println("signature provider: " + Providers.signatureProviderName());
    new Runner(
            new OptionsBuilder()
                .include(
                    CoseEvidenceBenchmark.class.getName() + (args.length > 0 ? "." + args[0] : ""))
                .jvmArgsAppend("-Darbiter.repo.root=" + RepoPaths.root())
                .build())
        .run();
  }
}
