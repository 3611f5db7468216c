// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.Signatures;
import java.security.PublicKey;

/**
 * The report signature: ECDSA P-384 with SHA-384 over bytes [0, 0x2A0), r and s stored as 72-byte
 * little-endian integers (48 significant bytes each). Converted to IEEE P1363 (r || s, 48 bytes
 * each, big-endian) and verified with {@code SHA384withECDSAinP1363Format} by {@link Signatures}
 * (ACCP when it loads).
 */
final class ReportSignature {
  static final String ALGORITHM = "SHA384withECDSAinP1363Format";
  private static final int COMPONENT = 48;
  private static final int STORED = 72;

  private ReportSignature() {}

  /**
   * The P1363 form, or null when a component has non-zero bytes beyond the 48 significant ones (a
   * value no P-384 signature can have).
   */
  static byte[] toP1363(byte[] report) {
    byte[] out = new byte[2 * COMPONENT];
    for (int part = 0; part < 2; part++) {
      int base = AttestationReport.SIGNATURE_OFFSET + part * STORED;
      for (int i = COMPONENT; i < STORED; i++) {
        if (report[base + i] != 0) {
          return null;
        }
      }
      for (int i = 0; i < COMPONENT; i++) {
        out[part * COMPONENT + (COMPONENT - 1 - i)] = report[base + i];
      }
    }
    return out;
  }

  /** True when the signature over the report's signed region verifies under {@code key}. */
  static boolean verify(byte[] report, PublicKey key) {
    byte[] signature = toP1363(report);
    if (signature == null) {
      return false;
    }
    return Signatures.verify(ALGORITHM, key, report, 0, AttestationReport.SIGNED_LENGTH, signature);
  }
}
