// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import java.util.Locale;
import java.util.regex.Pattern;

/** Hash algorithm names and values in one form across CycloneDX, SPDX and in-toto. */
final class Hashes {
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{8,256}");

  private Hashes() {}

  /**
   * {@code SHA-256}, {@code SHA256}, {@code sha256} to {@code sha256}; {@code SHA3-256}, {@code
   * SHA3_256} to {@code sha3-256}; {@code BLAKE2b-256} to {@code blake2b-256}; {@code MD5} to
   * {@code md5}.
   */
  static String algorithm(String name) {
    String s = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    if (s.matches("sha-?(1|224|256|384|512)")) {
      return s.replace("-", "");
    }
    if (s.matches("sha3(-)?(224|256|384|512)")) {
      return "sha3-" + s.substring(s.length() - 3);
    }
    return s;
  }

  /** Lowercase hex, or null when the value is not hex. */
  static String hexValue(String value) {
    return value != null && HEX.matcher(value).matches() ? value.toLowerCase(Locale.ROOT) : null;
  }
}
