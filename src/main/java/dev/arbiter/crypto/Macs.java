// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** One-shot message authentication codes. Thread-safe. */
public final class Macs {
  private Macs() {}

  /** HMAC-SHA256 of {@code data} under {@code key} (32 bytes). */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
