// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import java.util.Arrays;

/** Bounds-checked little-endian reader over a byte range. Not thread-safe. */
final class ByteReader {
  private final byte[] data;
  private final int limit;
  private int position;

  ByteReader(byte[] data, int offset, int limit) {
    this.data = data;
    this.position = offset;
    this.limit = limit;
  }

  ByteReader(byte[] data) {
    this(data, 0, data.length);
  }

  int position() {
    return position;
  }

  int remaining() {
    return limit - position;
  }

  int u16(String field) throws QuoteFormatException {
    need(2, field);
    int value = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
    position += 2;
    return value;
  }

  long u32(String field) throws QuoteFormatException {
    need(4, field);
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = value << 8 | (data[position + i] & 0xff);
    }
    position += 4;
    return value;
  }

  byte[] bytes(int length, String field) throws QuoteFormatException {
    need(length, field);
    byte[] out = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** Reads a u32 length and checks that many bytes remain. */
  int length32(String field) throws QuoteFormatException {
    long length = u32(field + " length");
    if (length > remaining()) {
      throw QuoteFormatException.malformed(
          field + " length " + length + " exceeds the " + remaining() + " bytes left");
    }
    return (int) length;
  }

  private void need(int length, String field) throws QuoteFormatException {
    if (length < 0 || length > remaining()) {
      throw QuoteFormatException.malformed(
          "truncated at " + field + " (need " + length + " bytes, " + remaining() + " left)");
    }
  }
}
