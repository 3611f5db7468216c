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
import java.security.KeyPair;
import java.security.Signature;
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
 * TDX and SGX DCAP verification throughput with warm caches (the same platform's PCK chain, TCB
 * Info, QE Identity and CRLs every time; a fresh quote signature each time is not needed since
 * the quote signature is never cached) against the raw ECDSA P-256 verify rate of the same
 * provider. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DcapBenchmark {
  private TdxScheme tdx;
  private SgxScheme sgx;
  private EvidenceInput tdxInput;
  private EvidenceInput sgxInput;
  private final VerificationContext context = VerificationContext.at(DcapFixtures.NOW);
  private KeyPair key;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setup() throws Exception {
    DcapFixtures fixtures = DcapFixtures.create();
    tdx = new TdxScheme(fixtures.trust());
    sgx = new SgxScheme(fixtures.trust());
    tdxInput = EvidenceInput.of(fixtures.tdxQuote().build()).withCollateral(fixtures.collateral(true));
    sgxInput = EvidenceInput.of(fixtures.sgxQuote().build()).withCollateral(fixtures.collateral(false));
    requireValid(tdx.verify(tdxInput, ExpectedBinding.none(), context));
    requireValid(sgx.verify(sgxInput, ExpectedBinding.none(), context));
    key = fixtures.pckKey;
    message = new byte[632];
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key.getPrivate());
    signer.update(message);
    signature = signer.sign();
  }

  private static void requireValid(VerificationResult result) {
    if (!result.valid() || !"UpToDate".equals(result.claims().get("tcb_status").orElse(null))) {
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
