// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The SEV-SNP benchmark measured in thread CPU time instead of wall time: on a shared, overloaded
 * machine JMH's wall-clock throughput mostly measures the scheduler, while CPU time per operation
 * stays meaningful. Runs the {@link SevSnpBenchmark} operations interleaved in rounds and prints
 * operations per CPU-second for each. Usage: {@code java ... dev.arbiter.bench.SevSnpCpuTime
 * [vector|fixture] [rounds]}.
 */
public final class SevSnpCpuTime {
  private SevSnpCpuTime() {}

  public static void main(String[] args) throws Exception {
    SevSnpBenchmark bench = new SevSnpBenchmark();
    bench.source = args.length > 0 ? args[0] : "vector";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    bench.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[3];
    long[] allocated = new long[3];
    var allocation = (com.sun.management.ThreadMXBean) threads;
    int perRound = 500;
    for (int round = -5; round < rounds; round++) {
      for (int op = 0; op < 3; op++) {
        long start = threads.getCurrentThreadCpuTime();
        long bytes = allocation.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < perRound; i++) {
          switch (op) {
            case 0 -> bench.snpVerifyWarm();
            case 1 -> bench.rawP384Verify();
            default -> bench.rawP384VerifyReused();
          }
        }
        if (round >= 0) {
          cpu[op] += threads.getCurrentThreadCpuTime() - start;
          allocated[op] += allocation.getCurrentThreadAllocatedBytes() - bytes;
        }
      }
    }
    String[] names = {"snpVerifyWarm", "rawP384Verify", "rawP384VerifyReused"};
    double[] rate = new double[3];
    for (int op = 0; op < 3; op++) {
      rate[op] = (double) rounds * perRound / (cpu[op] / 1e9);
      System.out.printf(
          "%-22s %9.0f ops per CPU-second, %7d bytes allocated per op%n",
          names[op], rate[op], allocated[op] / ((long) rounds * perRound));
    }
    System.out.printf(
        "snp / raw = %.1f%%, snp / raw-reused = %.1f%% (source %s, provider %s)%n",
        100 * rate[0] / rate[1],
        100 * rate[0] / rate[2],
        bench.source,
        dev.arbiter.crypto.Providers.signatureProviderName());
  }
}
