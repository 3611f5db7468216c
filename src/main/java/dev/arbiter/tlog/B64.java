// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.util.Base64;

/**
 * Standard (RFC 4648 section 4) base64 with padding; decoding accepts only the canonical encoding.
 */
final class B64 {
  private B64() {}

  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes canonical padded base64: the text must be exactly what {@link #encode} produces for the
   * decoded bytes (no missing padding, no stray bits, no line breaks).
   *
   * @throws IllegalArgumentException otherwise
   */
  static byte[] decode(String text) {
    byte[] bytes = Base64.getDecoder().decode(text);
    if (!encode(bytes).equals(text)) {
      throw new IllegalArgumentException("not canonical base64");
    }
    return bytes;
  }
}
