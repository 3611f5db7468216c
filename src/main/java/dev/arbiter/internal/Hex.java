// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import java.util.HexFormat;

/** Lowercase hex encoding; decoding is case-insensitive and rejects odd lengths. */
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
   * Decodes hex text, ignoring a leading {@code 0x} and surrounding white space.
   *
   * @throws IllegalArgumentException if the text is not an even number of hex digits
   */
  public static byte[] decode(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
      trimmed = trimmed.substring(2);
    }
    if (trimmed.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits");
    }
    return LOWER.parseHex(trimmed.toLowerCase(java.util.Locale.ROOT));
  }

  /** True when the text is a non-empty, even-length string of hex digits. */
  public static boolean isHex(String text) {
    if (text.isEmpty() || text.length() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
