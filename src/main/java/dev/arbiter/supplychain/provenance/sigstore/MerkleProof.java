// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import dev.arbiter.crypto.MerkleHashes;
import java.util.Arrays;
import java.util.List;

/** RFC 9162 (section 2.1.3.2) Merkle inclusion proof verification with SHA-256. Thread-safe. */
final class MerkleProof {
  private MerkleProof() {}

  static byte[] leafHash(byte[] leaf) {
    return MerkleHashes.leaf(leaf);
  }

  /**
   * True when {@code path} proves {@code leafHash} at {@code index} in a tree of {@code size} with
   * {@code root}.
   */
  static boolean verify(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
    if (index < 0 || size <= 0 || index >= size || path.size() > 64) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0 || p.length != 32) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  private static byte[] node(byte[] left, byte[] right) {
    return MerkleHashes.node(left, right);
  }
}
