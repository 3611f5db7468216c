// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.BooleanSupplier;

/**
 * Companion to {@link DcapBenchmark} for a shared, overloaded machine: runs the same operations in
 * one thread and divides by that thread's CPU time instead of wall time, giving verifications per
 * CPU-second (per core) that do not depend on how many other processes compete for the cores. Run:
 * see docs/benchmarks.md.
 */
public final class DcapCpuRate {
  private DcapCpuRate() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String source : new String[] {"vector", "synthetic"}) {
      DcapBenchmark state = new DcapBenchmark();
      state.source = source;
      state.setup();
      report(threads, source, "raw ECDSA P-256 verify", state::rawEcdsaP256Verify);
      report(threads, source, "tdx verify", () -> state.tdxVerify().valid());
      report(threads, source, "sgx verify", () -> state.sgxVerify().valid());
    }
  }

  private static void report(
      ThreadMXBean threads, String source, String name, BooleanSupplier operation) {
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      if (!operation.getAsBoolean()) {
        throw new IllegalStateException(name + " failed");
      }
    }
    long cpuStart = threads.getCurrentThreadCpuTime();
    long count = 0;
    while (threads.getCurrentThreadCpuTime() - cpuStart < 3_000_000_000L) {
      for (int i = 0; i < 50; i++) {
        if (!operation.getAsBoolean()) {
          throw new IllegalStateException(name + " failed");
        }
      }
      count += 50;
    }
    double seconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    System.out.printf("%-10s %-24s %10.0f per CPU-second%n", source, name, count / seconds);
  }
}
