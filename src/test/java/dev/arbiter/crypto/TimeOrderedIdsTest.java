// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * RFC 9562 version 7: the layout, the time prefix, the order, and uniqueness within a millisecond.
 */
class TimeOrderedIdsTest {
  @Test
  void layout_isVersion7_variant10_withTheMillisecondsFirst() {
    Instant at = Instant.parse("2026-12-05T22:31:35.123Z");
    String id = TimeOrderedIds.next(at);
    UUID uuid = UUID.fromString(id);
    assertThat(id).hasSize(36).isEqualTo(uuid.toString());
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
    // the RFC's own example: 2022-02-22T19:22:22Z (0x017F22E279B0) begins 017f22e2-79b0-7
    assertThat(TimeOrderedIds.next(Instant.ofEpochMilli(0x017F22E279B0L)))
        .startsWith("017f22e2-79b0-7");
  }

  @Test
  void laterMilliseconds_sortLater_asText() {
    List<String> ids = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 2_000; i++) {
      ids.add(TimeOrderedIds.next(start.plusMillis(i)));
    }
    assertThat(ids).isSorted();
  }

  @Test
  void sameMillisecond_idsDiffer() {
    Instant at = Instant.parse("2026-12-05T00:00:00Z");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(TimeOrderedIds.next(at));
    }
    assertThat(ids).hasSize(100_000);
  }

  @Test
  void timesOutside48BitMilliseconds_areRefused() {
    assertThatThrownBy(() -> TimeOrderedIds.next(Instant.ofEpochMilli(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeOrderedIds.next(Instant.ofEpochMilli(1L << 48)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
