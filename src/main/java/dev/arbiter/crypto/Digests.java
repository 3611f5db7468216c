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

  /**
   * The digest of the concatenated parts under a JCA algorithm name ({@code SHA-256}, {@code
   * SHA-384}, {@code SHA-512}, {@code SHA-1}, ...), for formats that name their hash at run time.
   *
   * @throws IllegalStateException when no provider has the algorithm
   */
  public static byte[] digest(String algorithm, byte[]... parts) {
    MessageDigest digest = Providers.digest(algorithm);
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** The length in bytes of the algorithm's digests. */
  public static int length(String algorithm) {
    return Providers.digest(algorithm).getDigestLength();
  }

  /** Constant-time equality for secrets, MACs and digests. */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
