// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.supplychain.provenance.ProvenanceOptions;
import dev.arbiter.supplychain.provenance.ProvenanceVerifier;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import dev.arbiter.testing.RepoPaths;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Companion to {@link ProvenanceBenchmark} for a shared, overloaded machine: verifications per
 * second of <em>thread CPU time</em> (what one thread does with one core to itself), which the
 * other tenants' load does not distort the way wall-clock throughput is distorted. Not a JMH
 * benchmark; warm-up 3 s, then 2,000 verifications per bundle.
 */
public final class ProvenanceCpuRate {
  private ProvenanceCpuRate() {}

  public static void main(String[] args) throws Exception {
    Path dir = RepoPaths.sharedVectors().resolve("supplychain/provenance");
    ProvenanceOptions options =
        ProvenanceOptions.defaults()
            .withTrustedRoot(
                TrustedRoot.parse(
                    Files.readAllBytes(
                        dir.resolve("trust/sigstore-go_trusted-root-public-good.json"))))
            .withInsecureIgnoreIdentity(); // cryptographic cost only; identity checks are string
    // compares
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String name :
        new String[] {
          "p02_slsa-v1_npm-sigstore-2.0.0.bundle-v0.1.json",
          "p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json",
          "p05_slsa-v0.2_generic-hello.bundle-v0.3.json"
        }) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name));
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end) {
        check(ProvenanceVerifier.verify(bytes, options).valid());
      }
      int count = 2000;
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      for (int i = 0; i < count; i++) {
        check(ProvenanceVerifier.verify(bytes, options).valid());
      }
      double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
      double wallSeconds = (System.nanoTime() - wall) / 1e9;
      System.out.printf(
          "%s: %.0f verifications per CPU-second (%.0f/s wall clock)%n",
          name, count / cpuSeconds, count / wallSeconds);
    }
  }

  private static void check(boolean valid) {
    if (!valid) {
      throw new IllegalStateException("benchmark input does not verify");
    }
  }
}
