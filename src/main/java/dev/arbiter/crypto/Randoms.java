// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.SecureRandom;

/** Cryptographically strong random bytes from one shared {@link SecureRandom}. Thread-safe. */
public final class Randoms {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Randoms() {}

  /** {@code length} fresh random bytes. */
  public static byte[] bytes(int length) {
    byte[] out = new byte[length];
    RANDOM.nextBytes(out);
    return out;
  }
}
