// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.arbiter.bench.StallReplay.Stall;
import java.util.List;
import org.junit.jupiter.api.Test;

class StallReplayTest {
  @Test
  void withoutStallsEveryRequestTakesItsServiceTime() {
    var result = StallReplay.replay(List.of(), 0, 1_000_000, 200, 0.5);
    assertEquals(2_500, result.latencies().length); // every 400 us for 1 s
    assertEquals(0.2, result.percentile(0.0), 1e-9);
    assertEquals(0.2, result.percentile(1.0), 1e-9);
  }

  @Test
  void aStallDelaysTheRequestsInsideItAndTheBacklogItLeaves() {
    // service 100 us, arrivals every 200 us; the core is gone from 1,000 to 2,000 us
    var result = StallReplay.replay(List.of(new Stall(1_000, 2_000)), 0, 4_000, 100, 0.5);
    long[] ms = result.latencies();
    assertEquals(20, ms.length);
    // request at 1,000 waits to 2,000 (1,100 us); 1,200 → 1,000 us ... the backlog of five
    // drains at 100 us per request: 2,100, 2,200, ..., 2,500 for arrivals 1,000..1,800
    assertEquals(
        List.of(1_100_000L, 1_000_000L, 900_000L, 800_000L, 700_000L),
        List.of(ms[19], ms[18], ms[17], ms[16], ms[15]));
    // the arrival at 2,000 finds the core free again after the backlog (2,500): 600 us
    assertEquals(600_000L, ms[14]);
  }

  @Test
  void aStallInsideARequestLengthensIt() {
    // one request at 0 needing 100 us; the core is gone from 50 to 80 us, overlapping stalls merge
    var result =
        StallReplay.replay(List.of(new Stall(60, 80), new Stall(50, 70)), 0, 150, 100, 0.9);
    assertEquals(1, result.latencies().length);
    assertEquals(130_000L, result.latencies()[0]);
  }

  @Test
  void refusesANonsensicalLoad() {
    assertThrows(IllegalArgumentException.class, () -> StallReplay.replay(List.of(), 0, 1, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> StallReplay.replay(List.of(), 0, 1, 1, 1.0));
  }
}
