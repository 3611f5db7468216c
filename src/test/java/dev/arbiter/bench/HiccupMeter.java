// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform's own stalls on one core, as jHiccup measures them: a thread that asks to sleep 1
 * ms, over and over, and records by how much each wake-up came late. Whatever delays it (the
 * hypervisor descheduling the virtual CPU, a halted core's wake-up, interrupts, other processes)
 * delays a request thread on that core the same way. {@code bench/attest-load} runs one on the
 * generator's core ({@code ATTEST_HICCUPS=1}) or on every core ({@code ATTEST_HICCUPS=all}), pinned
 * with {@code taskset}, and reports the stalls inside the open loop's measured window.
 *
 * <p>{@code record FILE}: until killed, appends one line per wake-up later than 0.5 ms: the epoch
 * millisecond it ended and the delay in microseconds. {@code spin FILE SECONDS}: the same lines,
 * for SECONDS and then exit (a JVM shutting down under a spinning thread would add gaps of its
 * own), from a thread that never sleeps (it keeps its core busy, as a loaded server's carrier
 * does): each time two consecutive clock reads are more than 0.1 ms apart, the core was taken from
 * it for that long, with no sleep or wake-up of its own in the figure; {@link StallReplay} replays
 * such a file. Both start the file with {@code # start EPOCH_MILLIS}. {@code report FILE START
 * SECONDS}: prints the stalls of the window from START (ISO-8601 instant) for SECONDS.
 */
public final class HiccupMeter {
  private static final long PERIOD_NANOS = 1_000_000;
  private static final long RECORDED_NANOS = 500_000;
  private static final long SPIN_RECORDED_NANOS = 100_000;

  private HiccupMeter() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("record")) {
      record(Path.of(args[1]));
    } else if (args.length == 3 && args[0].equals("spin")) {
      spin(Path.of(args[1]), (long) (Double.parseDouble(args[2]) * 1e9));
    } else if (args.length == 4 && args[0].equals("report")) {
      Instant start = Instant.parse(args[2]);
      long from = start.toEpochMilli();
      long to = from + (long) (Double.parseDouble(args[3]) * 1000);
      System.out.println(report(Files.readAllLines(Path.of(args[1])), from, to));
    } else {
      System.err.println(
          "usage: HiccupMeter record FILE | spin FILE SECONDS | report FILE START SECONDS");
      System.exit(2);
    }
  }

  private static void record(Path file) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(file), true)) {
      out.println("# start " + System.currentTimeMillis());
      long expected = System.nanoTime() + PERIOD_NANOS;
      while (true) {
        LockSupport.parkNanos(PERIOD_NANOS);
        long now = System.nanoTime();
        long late = now - expected;
        if (late > RECORDED_NANOS) {
          out.println(System.currentTimeMillis() + " " + late / 1000);
        }
        expected = now + PERIOD_NANOS;
      }
    }
  }

  private static void spin(Path file, long nanos) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(file), true)) {
      out.println("# start " + System.currentTimeMillis());
      long last = System.nanoTime();
      long end = last + nanos;
      while (last < end) {
        long now = System.nanoTime();
        if (now - last > SPIN_RECORDED_NANOS) {
          out.println(System.currentTimeMillis() + " " + (now - last) / 1000);
          now = System.nanoTime();
        }
        last = now;
      }
      out.println("# end " + System.currentTimeMillis());
    }
  }

  /**
   * Summary of the recorded stalls that ended in {@code [fromMillis, toMillis)}: how many were over
   * 1, 5 and 20 ms, the longest, and their sum.
   */
  static String report(List<String> lines, long fromMillis, long toMillis) {
    List<Long> stalls = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.trim().split(" ");
      if (fields.length != 2) {
        continue;
      }
      long at = Long.parseLong(fields[0]);
      if (at >= fromMillis && at < toMillis) {
        stalls.add(Long.parseLong(fields[1]));
      }
    }
    long over1 = stalls.stream().filter(us -> us > 1_000).count();
    long over5 = stalls.stream().filter(us -> us > 5_000).count();
    long over20 = stalls.stream().filter(us -> us > 20_000).count();
    long longest = stalls.stream().mapToLong(Long::longValue).max().orElse(0);
    long sum = stalls.stream().mapToLong(Long::longValue).sum();
    return String.format(
        "stalls over 1 ms: %d, over 5 ms: %d, over 20 ms: %d; longest %.1f ms; %.0f ms in all over"
            + " %.0f s",
        over1, over5, over20, longest / 1e3, sum / 1e3, (toMillis - fromMillis) / 1e3);
  }
}
