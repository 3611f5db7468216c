// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import java.util.Locale;
import java.util.Optional;

/** The TPM_ALG_ID digest algorithms Arbiter can replay (TCG Algorithm Registry). */
enum LogAlg {
  SHA1(0x0004, "SHA-1", 20),
  SHA256(0x000B, "SHA-256", 32),
  SHA384(0x000C, "SHA-384", 48),
  SHA512(0x000D, "SHA-512", 64);

  final int id;
  final String jcaName;
  final int size;

  LogAlg(int id, String jcaName, int size) {
    this.id = id;
    this.jcaName = jcaName;
    this.size = size;
  }

  /** {@code sha1}, {@code sha256}, ...: the PCR bank name used in claims. */
  String bank() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<LogAlg> byId(int id) {
    for (LogAlg alg : values()) {
      if (alg.id == id) {
        return Optional.of(alg);
      }
    }
    return Optional.empty();
  }

  static Optional<LogAlg> byBank(String bank) {
    for (LogAlg alg : values()) {
      if (alg.bank().equals(bank)) {
        return Optional.of(alg);
      }
    }
    return Optional.empty();
  }
}
