// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.util.Locale;
import java.util.Optional;

/** TPM_ALG_ID hash algorithms that Arbiter accepts for PCR banks and signatures. */
enum TpmAlg {
  SHA1(0x0004, "SHA-1", 20),
  SHA256(0x000B, "SHA-256", 32),
  SHA384(0x000C, "SHA-384", 48),
  SHA512(0x000D, "SHA-512", 64);

  final int id;
  final String jcaName;
  final int size;

  TpmAlg(int id, String jcaName, int size) {
    this.id = id;
    this.jcaName = jcaName;
    this.size = size;
  }

  /** Bank name as used in claims and the PCR JSON: {@code sha1}, {@code sha256}, ... */
  String bank() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** JCA signature prefix: {@code SHA256}, ... */
  String signaturePrefix() {
    return name();
  }

  static Optional<TpmAlg> byId(int id) {
    for (TpmAlg alg : values()) {
      if (alg.id == id) {
        return Optional.of(alg);
      }
    }
    return Optional.empty();
  }

  static Optional<TpmAlg> byBank(String bank) {
    for (TpmAlg alg : values()) {
      if (alg.bank().equals(bank.toLowerCase(Locale.ROOT))) {
        return Optional.of(alg);
      }
    }
    return Optional.empty();
  }

  static Optional<TpmAlg> bySize(int size) {
    for (TpmAlg alg : values()) {
      if (alg.size == size) {
        return Optional.of(alg);
      }
    }
    return Optional.empty();
  }
}
