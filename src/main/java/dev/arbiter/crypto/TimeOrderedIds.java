// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.time.Instant;
import java.util.UUID;

/**
 * RFC 9562 version 7 UUIDs: the Unix time in milliseconds (48 bits), then 74 random bits. Ids made
 * later sort later (to the millisecond), so a B-tree index over them grows at its right edge: an
 * insert touches the last page, not a random one (the transparency log's {@code jti} index, one
 * insert per attestation). Uniqueness rests on the random bits, drawn from a {@code SecureRandom}
 * ({@link Randoms}) as {@link UUID#randomUUID()} draws them; the time part is the decision's own
 * time, from the caller's clock.
 */
public final class TimeOrderedIds {
  private TimeOrderedIds() {}

  /** A version 7 UUID for {@code at}, in the usual 36-character text form. */
  public static String next(Instant at) {
    long millis = at.toEpochMilli();
    if (millis < 0 || millis >= 1L << 48) {
      throw new IllegalArgumentException("a version 7 UUID holds 48-bit Unix milliseconds");
    }
    byte[] random = Randoms.bytes(10);
    long randA = ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
    long randB = 0;
    for (int i = 2; i < 10; i++) {
      randB = (randB << 8) | (random[i] & 0xFFL);
    }
    long msb = (millis << 16) | 0x7000L | randA;
    long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }
}
