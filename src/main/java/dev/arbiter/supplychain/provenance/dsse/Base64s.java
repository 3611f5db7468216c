// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.dsse;

import java.util.Base64;

/** Base64 as DSSE allows it: standard or URL-safe alphabet, padded or not. Thread-safe. */
public final class Base64s {
  private Base64s() {}

  /**
   * Decodes any of the four DSSE base64 forms.
   *
   * @throws IllegalArgumentException when the text is not base64 in one alphabet
   */
  public static byte[] decode(String text) {
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    if (urlSafe && (text.indexOf('+') >= 0 || text.indexOf('/') >= 0)) {
      throw new IllegalArgumentException("mixed base64 alphabets");
    }
    return urlSafe ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
  }
}
