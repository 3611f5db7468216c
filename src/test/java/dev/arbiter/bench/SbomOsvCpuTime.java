// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import dev.arbiter.supplychain.osv.AdvisoryIndex;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.sbom.Sbom;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Companion to {@link SbomOsvBenchmark} for a shared, loaded machine: reports the full re-scan's
 * thread CPU time beside its wall time (wall time there mostly measures the other tenants), and a
 * parallel re-scan over all cores. Same seeded data as the JMH benchmark.
 */
public final class SbomOsvCpuTime {
  private SbomOsvCpuTime() {}

  public static void main(String[] args) {
    SbomOsvData data = new SbomOsvData(5_000);
    List<Sbom> sboms = data.sboms(SbomOsvBenchmark.SBOMS, SbomOsvBenchmark.COMPONENTS);
    AdvisoryIndex index = new AdvisoryIndex();
    long start = System.nanoTime();
    index.addAll(data.advisories(SbomOsvBenchmark.ADVISORIES));
    System.out.printf(
        "parse + index %d advisories: %.2f s wall%n",
        index.size(), (System.nanoTime() - start) / 1e9);
    Scanner scanner = new Scanner(index);
    var threads = ManagementFactory.getThreadMXBean();
    for (int round = 1; round <= 5; round++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      long findings = 0;
      for (Sbom sbom : sboms) {
        findings += scanner.scan(sbom).findings().size();
      }
      System.out.printf(
          "round %d sequential: %.2f s wall, %.2f s CPU, %d findings%n",
          round,
          (System.nanoTime() - wall) / 1e9,
          (threads.getCurrentThreadCpuTime() - cpu) / 1e9,
          findings);
    }
    for (int round = 1; round <= 3; round++) {
      long wall = System.nanoTime();
      long findings =
          sboms.parallelStream().mapToLong(sbom -> scanner.scan(sbom).findings().size()).sum();
      System.out.printf(
          "round %d parallel (%d cores): %.2f s wall, %d findings%n",
          round,
          Runtime.getRuntime().availableProcessors(),
          (System.nanoTime() - wall) / 1e9,
          findings);
    }
  }
}
