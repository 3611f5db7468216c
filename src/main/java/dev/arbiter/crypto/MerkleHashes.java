// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.MessageDigest;

/**
 * RFC 9162 (section 2.1.1) Merkle tree hashing with SHA-256: leaf {@code H(0x00 || leaf)}, node
 * {@code H(0x01 || left || right)}. Thread-safe.
 */
public final class MerkleHashes {
  private MerkleHashes() {}

  /** The hash of a leaf. */
  public static byte[] leaf(byte[] leaf) {
    MessageDigest digest = Providers.digest("SHA-256");
    digest.update((byte) 0);
    digest.update(leaf);
    return digest.digest();
  }

  /** The hash of an interior node. */
  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest digest = Providers.digest("SHA-256");
    digest.update((byte) 1);
    digest.update(left);
    digest.update(right);
    return digest.digest();
  }
}
