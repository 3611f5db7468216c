// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.util.Arrays;

/** A bounds-checked little-endian cursor over SPDM messages. Not thread-safe. */
final class SpdmReader {
  private final byte[] data;
  private int position;

  SpdmReader(byte[] data) {
    this.data = data;
  }

  int position() {
    return position;
  }

  int remaining() {
    return data.length - position;
  }

  private void need(int count, String field) throws SpdmFormatException {
    if (count < 0 || count > remaining()) {
      throw new SpdmFormatException(
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

  int u8(String field) throws SpdmFormatException {
    need(1, field);
    return data[position++] & 0xff;
  }

  int u16(String field) throws SpdmFormatException {
    need(2, field);
    int value = (data[position] & 0xff) | ((data[position + 1] & 0xff) << 8);
    position += 2;
    return value;
  }

  int u24(String field) throws SpdmFormatException {
    need(3, field);
    int value =
        (data[position] & 0xff)
            | ((data[position + 1] & 0xff) << 8)
            | ((data[position + 2] & 0xff) << 16);
    position += 3;
    return value;
  }

  byte[] bytes(int count, String field) throws SpdmFormatException {
    need(count, field);
    byte[] out = Arrays.copyOfRange(data, position, position + count);
    position += count;
    return out;
  }
}
