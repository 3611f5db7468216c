// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import java.util.HexFormat;

/**
 * Lowercase hex encoding; decoding follows {@link Encodings#hex}'s rules (either case, even length)
 * after dropping surrounding white space and a leading {@code 0x}.
 */
public final class Hex {
  private static final HexFormat LOWER = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return LOWER.formatHex(bytes);
  }

  public static String encode(byte[] bytes, int offset, int length) {
    return LOWER.formatHex(bytes, offset, offset + length);
  }

  /**
   * Decodes hex text, ignoring a leading {@code 0x} and surrounding white space; the digits
   * themselves are decoded by {@link Encodings#hex}.
   *
   * @throws IllegalArgumentException if the text is not an even number of hex digits
   */
  public static byte[] decode(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
      trimmed = trimmed.substring(2);
    }
    return Encodings.hex(trimmed);
  }

  /** True when the text is a non-empty, even-length string of ASCII hex digits. */
  public static boolean isHex(String text) {
    return !text.isEmpty() && text.length() % 2 == 0 && firstNonHex(text) < 0;
  }

  /** The index of the first character that is not an ASCII hex digit (either case), or -1. */
  public static int firstNonHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return i;
      }
    }
    return -1;
  }
}
