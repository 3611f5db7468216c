// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.util.Arrays;
import java.util.List;

/**
 * A C2SP {@code tlog-checkpoint} body: the log's origin, the tree size and the RFC 9162 root hash
 * at that size. {@link #text()} is the note text that gets signed ({@code origin\nsize\nbase64
 * root\n}); {@link #parse} accepts exactly that shape (no extension lines).
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {
  public Checkpoint {
    requireValidOrigin(origin);
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    if (rootHash.length != Merkle.HASH_LENGTH) {
      throw new IllegalArgumentException("a root hash is 32 bytes");
    }
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The signed note text: origin, decimal size, base64 root hash, each ending in a newline. */
  public String text() {
    return origin + "\n" + size + "\n" + B64.encode(rootHash) + "\n";
  }

  /**
   * Parses a checkpoint note text (what {@link SignedNote#text()} returns).
   *
   * @throws IllegalArgumentException naming what is wrong when it is not exactly three lines of
   *     origin, canonical decimal size and canonical base64 32-byte root hash
   */
  public static Checkpoint parse(String text) {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("checkpoint text does not end in a newline");
    }
    List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw new IllegalArgumentException("checkpoint has " + lines.size() + " lines, expected 3");
    }
    if (lines.size() > 3) {
      throw new IllegalArgumentException(
          "checkpoint has extension lines, which this log never writes");
    }
    String sizeText = lines.get(1);
    if (!sizeText.matches("0|[1-9][0-9]{0,18}")) {
      throw new IllegalArgumentException("tree size is not a canonical decimal number");
    }
    long size;
    try {
      size = Long.parseLong(sizeText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tree size out of range");
    }
    byte[] root;
    try {
      root = B64.decode(lines.get(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("root hash is not canonical base64");
    }
    if (root.length != Merkle.HASH_LENGTH) {
      throw new IllegalArgumentException("root hash is " + root.length + " bytes, expected 32");
    }
    return new Checkpoint(lines.get(0), size, root);
  }

  static void requireValidOrigin(String origin) {
    if (origin.isEmpty()) {
      throw new IllegalArgumentException("empty origin");
    }
    for (int i = 0; i < origin.length(); i++) {
      char c = origin.charAt(i);
      if (c < 0x20) {
        throw new IllegalArgumentException("origin contains a control character");
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint c
        && c.origin.equals(origin)
        && c.size == size
        && Arrays.equals(c.rootHash, rootHash);
  }

  @Override
  public int hashCode() {
    return (origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + ", size=" + size + ", root=" + B64.encode(rootHash) + "]";
  }
}
