// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.MessageDigest;

/** One-shot digests. Thread-safe. */
public final class Digests {
  private Digests() {}

  public static byte[] sha256(byte[] data) {
    return Providers.digest("SHA-256").digest(data);
  }

  public static byte[] sha384(byte[] data) {
    return Providers.digest("SHA-384").digest(data);
  }

  public static byte[] sha512(byte[] data) {
    return Providers.digest("SHA-512").digest(data);
  }

  public static byte[] sha1(byte[] data) {
    return Providers.digest("SHA-1").digest(data);
  }

  /** Constant-time equality for secrets, MACs and digests. */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
