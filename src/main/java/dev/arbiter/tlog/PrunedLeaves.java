// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import java.nio.ByteBuffer;

/**
 * What one prune committed to: how many decision leaves lost their body, the first and last leaf
 * index, and {@code digest}, a hash chain over the pruned leaves in index order: {@code d0 = 32
 * zero bytes}, {@code d(i+1) = SHA-256(d(i) || 8-byte big-endian leaf index || 32-byte leaf hash)}.
 * The prune's audit record carries these; {@link LogStore#audit} recomputes them from the leaves
 * marked with the record's seq, so a body nulled outside a prune (or one more or one fewer leaf) is
 * found.
 *
 * @param count pruned leaves (0: nothing pruned, first and last are -1)
 * @param digest lowercase hex of the chain's last value
 */
public record PrunedLeaves(long count, long first, long last, String digest) {
  /** An accumulator, fed in leaf-index order. Not thread-safe. */
  public static final class Builder {
    private byte[] chain = new byte[32];
    private long count;
    private long first = -1;
    private long last = -1;

    /** Adds the next pruned leaf (indexes must increase). */
    public Builder add(long index, byte[] leafHash) {
      if (leafHash.length != 32 || index <= last) {
        throw new IllegalArgumentException(
            "pruned leaves must come in index order with 32-byte hashes");
      }
      chain =
          Digests.sha256(ByteBuffer.allocate(72).put(chain).putLong(index).put(leafHash).array());
      if (count == 0) {
        first = index;
      }
      last = index;
      count++;
      return this;
    }

    public PrunedLeaves build() {
      return new PrunedLeaves(count, first, last, Hex.encode(chain));
    }
  }

  public static Builder builder() {
    return new Builder();
  }
}
