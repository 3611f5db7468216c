// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HiccupMeterTest {
  @Test
  void reportsOnlyTheStallsInsideTheWindow() {
    List<String> lines =
        List.of(
            "999 30000", // before the window
            "1000 700", // recorded, but not over 1 ms
            "1500 1200",
            "2000 6000",
            "2999 25000",
            "3000 9000", // the window's end is exclusive
            "garbage");
    assertEquals(
        "stalls over 1 ms: 3, over 5 ms: 2, over 20 ms: 1; longest 25.0 ms; 33 ms in all over 2 s",
        HiccupMeter.report(lines, 1000, 3000));
  }

  @Test
  void anEmptyWindowHasNoStalls() {
    assertEquals(
        "stalls over 1 ms: 0, over 5 ms: 0, over 20 ms: 0; longest 0.0 ms; 0 ms in all over 1 s",
        HiccupMeter.report(List.of("5000 9000"), 1000, 2000));
  }
}
