// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.util.Arrays;

/**
 * A bounds-checked big-endian cursor over TPM marshalled bytes (TPM 2.0 Part 2 encoding). Every
 * read checks the remaining length first, so truncated input fails with a {@link
 * TpmFormatException} naming the field, never an unchecked exception. Not thread-safe.
 */
final class TpmReader {
  private final byte[] data;
  private int position;

  TpmReader(byte[] data) {
    this.data = data;
  }

  int position() {
    return position;
  }

  int remaining() {
    return data.length - position;
  }

  private void need(int count, String field) throws TpmFormatException {
    if (count < 0 || count > remaining()) {
      throw new TpmFormatException(
          field
              + ": needs "
              + count
              + " bytes at offset "
              + position
              + ", "
              + remaining()
              + " left");
    }
  }

  int u8(String field) throws TpmFormatException {
    need(1, field);
    return data[position++] & 0xff;
  }

  int u16(String field) throws TpmFormatException {
    need(2, field);
    int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
    position += 2;
    return value;
  }

  long u32(String field) throws TpmFormatException {
    need(4, field);
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (data[position + i] & 0xff);
    }
    position += 4;
    return value;
  }

  /** A UINT64 as raw bytes (big-endian), for fields that may exceed a signed long. */
  byte[] u64Bytes(String field) throws TpmFormatException {
    return bytes(8, field);
  }

  byte[] bytes(int count, String field) throws TpmFormatException {
    need(count, field);
    byte[] out = Arrays.copyOfRange(data, position, position + count);
    position += count;
    return out;
  }

  /** A TPM2B: a UINT16 size followed by that many bytes, at most {@code max}. */
  byte[] sized(String field, int max) throws TpmFormatException {
    int size = u16(field + ".size");
    if (size > max) {
      throw new TpmFormatException(field + ": size " + size + " exceeds the maximum " + max);
    }
    return bytes(size, field);
  }

  void requireEnd(String structure) throws TpmFormatException {
    if (remaining() != 0) {
      throw new TpmFormatException(structure + ": " + remaining() + " trailing bytes");
    }
  }
}
