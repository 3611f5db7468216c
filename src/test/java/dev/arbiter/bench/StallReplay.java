// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The latency floor a core's own stalls set: replays a stall file of {@link HiccupMeter} ({@code
 * spin} mode: the intervals the core was taken from a busy thread) as the only disturbance of an
 * ideal server on that core: one request at a time, each needing exactly {@code SERVICE_US} of the
 * core, arriving evenly at {@code FRACTION} of its saturation (as the open loop of {@code
 * bench/attest-load} sends them), with no collector, compiler, other process or variance of its
 * own. A request arriving during a stall, or behind the backlog one leaves, waits; latency runs
 * from its arrival, as the open loop measures it. Whatever percentile this gives, no server on that
 * core can do better at that load.
 *
 * <p>{@code StallReplay FILE SERVICE_US FRACTION}: the window is the file's whole recording (from
 * its {@code # start} line to its last stall).
 */
public final class StallReplay {
  /** A stretch the core was unavailable, in microseconds since the epoch. */
  record Stall(long begin, long end) {}

  private StallReplay() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: StallReplay FILE SERVICE_US FRACTION");
      System.exit(2);
    }
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    long service = Long.parseLong(args[1]);
    double fraction = Double.parseDouble(args[2]);
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    List<Stall> stalls = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.trim().split(" ");
      if (fields.length == 3 && fields[0].equals("#") && fields[1].equals("start")) {
        from = Long.parseLong(fields[2]) * 1000;
      } else if (fields.length == 3 && fields[0].equals("#") && fields[1].equals("end")) {
        to = Long.parseLong(fields[2]) * 1000;
      } else if (fields.length == 2) {
        long end = Long.parseLong(fields[0]) * 1000;
        stalls.add(new Stall(end - Long.parseLong(fields[1]), end));
      }
    }
    if (from == Long.MAX_VALUE || to <= from) {
      System.err.println(
          "StallReplay: " + args[0] + " has no '# start' and '# end' lines (HiccupMeter spin)");
      System.exit(2);
    }
    AttestLoadGenerator.Result result = replay(stalls, from, to, service, fraction);
    long over5 = Arrays.stream(result.latencies()).filter(ns -> ns > 5_000_000).count();
    System.out.printf(
        "ideal server, %d us per request at %.0f%% of its saturation, %.0f s of this core's"
            + " stalls: %s; over 5 ms: %d (%.2f%%)%n",
        service,
        fraction * 100,
        (to - from) / 1e6,
        result,
        over5,
        100.0 * over5 / Math.max(1, result.latencies().length));
  }

  /**
   * Latencies (nanoseconds, sorted) of requests arriving every {@code service / fraction}
   * microseconds in {@code [from, to)}, served one at a time with {@code service} microseconds of
   * core time each, the core unavailable during {@code stalls} (any order, may overlap).
   */
  static AttestLoadGenerator.Result replay(
      List<Stall> stalls, long from, long to, long service, double fraction) {
    if (service <= 0 || !(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("service must be positive and fraction in (0, 1)");
    }
    Stall[] sorted =
        stalls.stream().sorted(Comparator.comparingLong(Stall::begin)).toArray(Stall[]::new);
    double interval = service / fraction;
    int count = (int) ((to - from) / interval);
    long[] latencies = new long[count];
    long free = from;
    int next = 0; // first stall that may still matter
    for (int i = 0; i < count; i++) {
      long arrival = from + (long) (i * interval);
      long t = Math.max(arrival, free);
      long remaining = service;
      while (remaining > 0) {
        while (next < sorted.length && sorted[next].end() <= t) {
          next++;
        }
        if (next < sorted.length && sorted[next].begin() <= t) {
          t = sorted[next].end(); // the core is taken: wait for it
          continue;
        }
        long until = next < sorted.length ? sorted[next].begin() : Long.MAX_VALUE;
        long run = Math.min(remaining, until - t);
        t += run;
        remaining -= run;
      }
      free = t;
      latencies[i] = (t - arrival) * 1000;
    }
    Arrays.sort(latencies);
    double seconds = (to - from) / 1e6;
    return new AttestLoadGenerator.Result(latencies, 0, count / seconds, Map.of(), new long[0]);
  }
}
