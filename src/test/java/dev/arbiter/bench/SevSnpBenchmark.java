// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.Providers;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.sevsnp.Product;
import dev.arbiter.evidence.sevsnp.SevSnpScheme;
import dev.arbiter.evidence.sevsnp.SnpBenchSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * SEV-SNP report verification with a warm chain cache, one thread, beside the raw ECDSA P-384
 * verify rate of the same provider over the same bytes. {@code source=vector} uses the real
 * go-sev-guest Milan report and VCEK against the pinned AMD roots (needs ../shared/vectors); {@code
 * source=fixture} uses the generated test PKI. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SevSnpBenchmark {
  @Param({"vector", "fixture"})
  public String source;

  private SevSnpScheme scheme;
  private EvidenceInput input;
  private VerificationContext context;
  private byte[] report;
  private byte[] p1363;
  private PublicKey key;
  private Signature reused;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (source.equals("vector")) {
      Path dir = Path.of("../shared/vectors/sev-snp/go-sev-guest");
      report = Files.readAllBytes(dir.resolve("attestation.bin"));
      byte[] vcek = Files.readAllBytes(dir.resolve("vcek.testcer"));
      scheme = SevSnpScheme.withPinnedRoots();
      input = EvidenceInput.of(report).withCertificates(List.of(vcek));
      key = Certificates.parse(vcek).get(0).getPublicKey();
      context = VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z"));
    } else {
      SnpBenchSupport.Fixture fixture = SnpBenchSupport.fixture(Product.MILAN);
      scheme = fixture.scheme();
      report = fixture.report();
      input = EvidenceInput.of(report).withCertificates(List.of(fixture.vcekDer()));
      key = Certificates.parse(fixture.vcekDer()).get(0).getPublicKey();
      context = VerificationContext.at(Instant.parse("2025-06-01T00:00:00Z"));
    }
    p1363 = SnpBenchSupport.p1363(report);
    reused = Providers.signature("SHA384withECDSAinP1363Format");
    VerificationResult warm = scheme.verify(input, ExpectedBinding.none(), context);
    if (!warm.valid() || !rawVerify()) {
      throw new IllegalStateException("benchmark input does not verify: " + warm.problems());
    }
  }

  /** Full SNP verification (decode, parse, cached chain, signature, TCB, chip id, claims). */
  @Benchmark
  public VerificationResult snpVerifyWarm() {
    return scheme.verify(input, ExpectedBinding.none(), context);
  }

  /**
   * The raw ECDSA P-384 verify of the same report: new Signature object each time (as a verifier
   * must).
   */
  @Benchmark
  public boolean rawP384Verify() throws Exception {
    return rawVerify();
  }

  /** The raw verify with one reused Signature object (an upper bound). */
  @Benchmark
  public boolean rawP384VerifyReused() throws Exception {
    reused.initVerify(key);
    reused.update(report, 0, 0x2A0);
    return reused.verify(p1363);
  }

  private boolean rawVerify() throws Exception {
    Signature verifier = Providers.signature("SHA384withECDSAinP1363Format");
    verifier.initVerify(key);
    verifier.update(report, 0, 0x2A0);
    return verifier.verify(p1363);
  }

  public static void main(String[] args) throws Exception {
    System.out.println("signature provider: " + Providers.signatureProviderName());
    new Runner(
            new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(SevSnpBenchmark.class.getSimpleName())
                .build())
        .run();
  }
}
