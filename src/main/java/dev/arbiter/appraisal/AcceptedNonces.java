// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nonces one issuer has accepted and that have not expired, as serials grouped by their expiry
 * second: one open-addressing {@code int} set per second, so a remembered nonce costs 4-8 bytes and
 * no object of its own, and forgetting a second's nonces drops one set. (A map of boxed ids held an
 * object graph of ~80 bytes per nonce that every young collection copied until it was promoted, and
 * forgetting walked every entry on an attesting thread.) Thread-safe; each second's set has its own
 * lock.
 */
final class AcceptedNonces {
  /** What {@link #add} made of a nonce. */
  enum Outcome {
    ACCEPTED,
    /** Accepted before. */
    REUSED,
    /** Its second was forgotten (it expired while being accepted). */
    EXPIRED,
    /** {@code capacity} unexpired nonces are remembered already. */
    FULL
  }

  private final int capacity;
  private final Map<Long, Second> seconds = new ConcurrentHashMap<>();
  private final AtomicInteger remembered = new AtomicInteger();
  private final AtomicLong forgotUpTo = new AtomicLong(Long.MIN_VALUE);

  AcceptedNonces(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Remembers {@code serial} as accepted among the nonces expiring at {@code expires} (epoch
   * seconds), at {@code now} (epoch seconds, not after {@code expires}).
   */
  Outcome add(long expires, int serial, long now) {
    if (expires < now) {
      return Outcome.EXPIRED;
    }
    if (now > forgotUpTo.get()) {
      forgetExpired(now); // at most once per second: drops whole seconds
    }
    if (remembered.get() >= capacity) {
      return Outcome.FULL;
    }
    Second second = seconds.computeIfAbsent(expires, e -> new Second());
    return second.add(serial, remembered);
  }

  /** How many accepted nonces are remembered. */
  int size() {
    return remembered.get();
  }

  /** Forgets the nonces that expired before {@code now} (epoch seconds). */
  void forgetExpired(long now) {
    long last = forgotUpTo.get();
    if (now <= last || !forgotUpTo.compareAndSet(last, now)) {
      return;
    }
    for (Iterator<Map.Entry<Long, Second>> it = seconds.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Second> entry = it.next();
      if (entry.getKey() < now) {
        it.remove();
        remembered.addAndGet(-entry.getValue().retire());
      }
    }
  }

  /**
   * The serials of one expiry second: linear probing over a power-of-two table, at most half full;
   * 0 marks an empty slot, so serial 0 is a flag of its own.
   */
  private static final class Second {
    private int[] slots = new int[16];
    private int size;
    private boolean hasZero;
    private boolean retired;

    synchronized Outcome add(int serial, AtomicInteger remembered) {
      if (retired) {
        return Outcome.EXPIRED;
      }
      if (serial == 0) {
        if (hasZero) {
          return Outcome.REUSED;
        }
        hasZero = true;
      } else if (!insert(slots, serial)) {
        return Outcome.REUSED;
      } else if (2 * (size + 1) > slots.length) {
        grow();
      }
      size++;
      remembered.incrementAndGet();
      return Outcome.ACCEPTED;
    }

    /** Marks the second forgotten; the number of serials it held. */
    synchronized int retire() {
      retired = true;
      slots = new int[0];
      return size;
    }

    private void grow() {
      int[] larger = new int[slots.length * 2];
      for (int serial : slots) {
        if (serial != 0) {
          insert(larger, serial);
        }
      }
      slots = larger;
    }

    /** False when present already. */
    private static boolean insert(int[] table, int serial) {
      int mask = table.length - 1;
      // serials count up: a multiplicative hash spreads neighbours over the table
      for (int i = (serial * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask) & mask;
          ;
          i = (i + 1) & mask) {
        if (table[i] == serial) {
          return false;
        }
        if (table[i] == 0) {
          table[i] = serial;
          return true;
        }
      }
    }
  }
}
