// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.util.Arrays;

/**
 * A minimal, bounds-checked protobuf wire-format reader (varints and length-delimited fields; fixed
 * 32/64-bit fields are skipped). Enough to read go-tpm-tools attestations without a protobuf
 * dependency. Not thread-safe.
 */
final class ProtoReader {
  private final byte[] data;
  private int position;
  private final int end;

  ProtoReader(byte[] data) {
    this(data, 0, data.length);
  }

  private ProtoReader(byte[] data, int start, int end) {
    this.data = data;
    this.position = start;
    this.end = end;
  }

  boolean hasMore() {
    return position < end;
  }

  /** The next tag: field number << 3 | wire type. */
  int tag() throws TpmFormatException {
    long tag = varint();
    if (tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
      throw new TpmFormatException("protobuf: bad tag");
    }
    return (int) tag;
  }

  long varint() throws TpmFormatException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw new TpmFormatException("protobuf: truncated varint");
      }
      byte b = data[position++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new TpmFormatException("protobuf: varint too long");
  }

  byte[] bytes() throws TpmFormatException {
    long length = varint();
    if (length < 0 || length > end - position) {
      throw new TpmFormatException("protobuf: length " + length + " exceeds the message");
    }
    byte[] out = Arrays.copyOfRange(data, position, position + (int) length);
    position += (int) length;
    return out;
  }

  void skip(int tag) throws TpmFormatException {
    switch (tag & 7) {
      case 0 -> varint();
      case 1 -> advance(8);
      case 2 -> bytes();
      case 5 -> advance(4);
      default -> throw new TpmFormatException("protobuf: unsupported wire type " + (tag & 7));
    }
  }

  private void advance(int count) throws TpmFormatException {
    if (count > end - position) {
      throw new TpmFormatException("protobuf: truncated fixed-size field");
    }
    position += count;
  }
}
