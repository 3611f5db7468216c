// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tpm.TpmScheme;
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
 * TPM quote verification throughput on the real GCE vTPM quote (RSA-2048 AK, 24 SHA-256 PCRs): with
 * the AK as a TPMT_PUBLIC, and with the AK certificate chained to Google's EK/AK root (the chain
 * result is cached after the first call). Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class TpmBenchmark {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z"));
  private TpmScheme withoutCas;
  private TpmScheme withGoogleCa;
  private EvidenceInput withKey;
  private EvidenceInput withCertificate;
  private ExpectedBinding nonce;

  @Setup
  public void setUp() throws Exception {
    Path tpm = RepoPaths.sharedVectors().resolve("tpm/go-tpm-tools");
    Path dir = tpm.resolve("extracted/gce-cos-85-nonce9009");
    EvidenceInput quote =
        EvidenceInput.of(Files.readAllBytes(dir.resolve("quote-sha256.attest")))
            .withSignature(Files.readAllBytes(dir.resolve("quote-sha256.sig")))
            .withPcrs(Files.readAllBytes(dir.resolve("pcrs-sha256.json")));
    withKey = quote.withKeys(List.of(Files.readAllBytes(dir.resolve("ak_pub.tpmt"))));
    withCertificate =
        quote.withCertificates(
            List.of(
                Files.readAllBytes(dir.resolve("ak_cert.der")),
                Files.readAllBytes(tpm.resolve("ca/tpm_ek_intermediate_2.crt"))));
    withoutCas = TpmScheme.withoutCas();
    withGoogleCa =
        new TpmScheme(Certificates.parse(Files.readAllBytes(tpm.resolve("ca/tpm_ek_root_1.cer"))));
    nonce = ExpectedBinding.exactly(new byte[] {(byte) 0x90, 0x09});
    check(quoteWithTpmtKey());
    check(quoteWithAkCertificate());
  }

  private static void check(VerificationResult result) {
    if (!result.valid()) {
      throw new IllegalStateException("benchmark input does not verify: " + result.problems());
    }
  }

  @Benchmark
  public VerificationResult quoteWithTpmtKey() {
    return withoutCas.verify(withKey, nonce, AT);
  }

  @Benchmark
  public VerificationResult quoteWithAkCertificate() {
    return withGoogleCa.verify(withCertificate, nonce, AT);
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(TpmBenchmark.class.getSimpleName()).build()).run();
  }
}
