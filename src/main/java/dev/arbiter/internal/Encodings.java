// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import java.util.Base64;

/**
 * The one decoder for untrusted text encodings of bytes. Every route, file reader and scheme that
 * accepts base64 or hex from outside uses these rules, so that one input means the same bytes
 * everywhere and no alternative spelling of the same bytes is accepted:
 *
 * <ul>
 *   <li>{@link #base64}: the standard ({@code +/}) or the URL-safe ({@code -_}) alphabet, never
 *       both in one string; padding optional but, when present, exactly right; no white space; the
 *       unused bits of the last character must be zero (the canonical encoding).
 *   <li>{@link #base64Url}: the URL-safe alphabet without padding (JOSE, nonces), same canonical
 *       rule.
 *   <li>{@link #hex}: an even number of hex digits, either case; no prefix, no white space.
 * </ul>
 *
 * <p>Each throws {@link IllegalArgumentException} with a message naming the violated rule (never
 * the input); callers map it to their domain's typed problem. Callers that read files strip white
 * space explicitly with {@link #withoutWhitespace} first.
 */
public final class Encodings {
  private static final Base64.Decoder STANDARD = Base64.getDecoder();
  private static final Base64.Decoder URL = Base64.getUrlDecoder();

  private Encodings() {}

  /** Decodes standard or URL-safe base64 (padded or not) strictly. */
  public static byte[] base64(String text) {
    if (text == null) {
      throw new IllegalArgumentException("base64 text is missing");
    }
    boolean standard = false;
    boolean urlSafe = false;
    int padding = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '=') {
        padding++;
        continue;
      }
      if (padding > 0) {
        throw new IllegalArgumentException("base64 padding in the middle of the text");
      }
      if (c == '+' || c == '/') {
        standard = true;
      } else if (c == '-' || c == '_') {
        urlSafe = true;
      } else if (!isAlphanumeric(c)) {
        throw new IllegalArgumentException("not a base64 character at offset " + i);
      }
    }
    if (standard && urlSafe) {
      throw new IllegalArgumentException("mixed standard and URL-safe base64 alphabets");
    }
    int data = text.length() - padding;
    if (data % 4 == 1) {
      throw new IllegalArgumentException("base64 text has an impossible length");
    }
    if (padding > 0 && (text.length() % 4 != 0 || padding > 2)) {
      throw new IllegalArgumentException("wrong base64 padding");
    }
    String unpadded = text.substring(0, data);
    byte[] bytes = (urlSafe ? URL : STANDARD).decode(pad(unpadded));
    requireCanonical(unpadded, bytes, urlSafe);
    return bytes;
  }

  /** Decodes unpadded URL-safe base64 (RFC 7515 base64url) strictly. */
  public static byte[] base64Url(String text) {
    if (text == null) {
      throw new IllegalArgumentException("base64url text is missing");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(isAlphanumeric(c) || c == '-' || c == '_')) {
        throw new IllegalArgumentException("not a base64url character at offset " + i);
      }
    }
    if (text.length() % 4 == 1) {
      throw new IllegalArgumentException("base64url text has an impossible length");
    }
    byte[] bytes = URL.decode(pad(text));
    requireCanonical(text, bytes, true);
    return bytes;
  }

  /** Decodes an even number of hex digits (either case). */
  public static byte[] hex(String text) {
    if (text == null) {
      throw new IllegalArgumentException("hex text is missing");
    }
    if (text.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits");
    }
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(text.charAt(2 * i), 16);
      int lo = Character.digit(text.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0 || text.charAt(2 * i) > 'f' || text.charAt(2 * i + 1) > 'f') {
        throw new IllegalArgumentException(
            "not a hex digit at offset " + (hi < 0 ? 2 * i : 2 * i + 1));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** The text without ASCII white space (for base64 or hex read from files, PEM-style wrapped). */
  public static String withoutWhitespace(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static String pad(String unpadded) {
    return switch (unpadded.length() % 4) {
      case 2 -> unpadded + "==";
      case 3 -> unpadded + "=";
      default -> unpadded;
    };
  }

  private static void requireCanonical(String unpadded, byte[] bytes, boolean urlSafe) {
    Base64.Encoder encoder = urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder();
    if (!encoder.withoutPadding().encodeToString(bytes).equals(unpadded)) {
      throw new IllegalArgumentException("non-canonical base64 (unused bits set)");
    }
  }
}
