// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.crypto.Providers;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.sgx.SgxScheme;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * TDX and SGX DCAP verification throughput with warm caches (the same platform's PCK chain, TCB
 * Info, QE Identity and CRLs every time; a fresh quote signature each time is not needed since the
 * quote signature is never cached) against the raw ECDSA P-256 verify rate of the same provider.
 * Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DcapBenchmark {
  /**
   * {@code vector}: the shared dcap-qvl vectors (the peers' bench vectors) under the pinned root;
   * {@code synthetic}: generated PKI.
   */
  @Param({"vector", "synthetic"})
  public String source;

  private TdxScheme tdx;
  private SgxScheme sgx;
  private EvidenceInput tdxInput;
  private EvidenceInput sgxInput;
  private VerificationContext context = VerificationContext.at(DcapFixtures.NOW);
  private KeyPair key;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setup() throws Exception {
    DcapFixtures fixtures = DcapFixtures.create();
    if (source.equals("vector")) {
      Path vectors = RepoPaths.sharedVectors();
      tdx = TdxScheme.withPinnedRoots();
      sgx = SgxScheme.withPinnedRoots();
      tdxInput =
          vectorInput(
              vectors.resolve("tdx/dcap-qvl/tdx_quote"),
              vectors.resolve("tdx/dcap-qvl/tdx_quote_collateral.json"));
      sgxInput =
          vectorInput(
              vectors.resolve("sgx/dcap-qvl/sgx_quote"),
              vectors.resolve("sgx/dcap-qvl/sgx_quote_collateral.json"));
      context = VerificationContext.at(Instant.parse("2025-06-20T00:00:00Z"));
    } else {
      tdx = new TdxScheme(fixtures.trust());
      sgx = new SgxScheme(fixtures.trust());
      tdxInput =
          EvidenceInput.of(fixtures.tdxQuote().build()).withCollateral(fixtures.collateral(true));
      sgxInput =
          EvidenceInput.of(fixtures.sgxQuote().build()).withCollateral(fixtures.collateral(false));
    }
    requireValid(tdx.verify(tdxInput, ExpectedBinding.none(), context), "UpToDate");
    requireValid(
        sgx.verify(sgxInput, ExpectedBinding.none(), context),
        source.equals("vector") ? "ConfigurationAndSWHardeningNeeded" : "UpToDate");
    key = fixtures.pckKey;
    message = new byte[632];
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key.getPrivate());
    signer.update(message);
    signature = signer.sign();
  }

  private static EvidenceInput vectorInput(Path quote, Path collateral) throws java.io.IOException {
    return EvidenceInput.of(Files.readAllBytes(quote))
        .withCollateral(
            List.of(
                new EvidenceInput.Collateral(
                    collateral.getFileName().toString(), Files.readAllBytes(collateral))));
  }

  private static void requireValid(VerificationResult result, String status) {
    if (!result.valid() || !status.equals(result.claims().get("tcb_status").orElse(null))) {
      throw new IllegalStateException("benchmark input does not verify: " + result.problems());
    }
  }

  @Benchmark
  public VerificationResult tdxVerify() {
    return tdx.verify(tdxInput, ExpectedBinding.none(), context);
  }

  @Benchmark
  public VerificationResult sgxVerify() {
    return sgx.verify(sgxInput, ExpectedBinding.none(), context);
  }

  /** One ECDSA P-256 / SHA-256 verification through the same provider the schemes use. */
  @Benchmark
  public boolean rawEcdsaP256Verify() {
    return Providers.verify("SHA256withECDSA", key.getPublic(), message, signature);
  }

  public static void main(String[] args) throws RunnerException {
    System.out.println("signature provider: " + Providers.signatureProviderName());
    new Runner(new OptionsBuilder().include(DcapBenchmark.class.getSimpleName()).build()).run();
  }
}
