// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.util.Locale;
import java.util.Optional;

/**
 * The AMD EPYC generation a report comes from; decides the TCB_VERSION layout and the AMD roots.
 */
public enum Product {
  MILAN("Milan"),
  GENOA("Genoa"),
  TURIN("Turin");

  private final String kdsName;

  Product(String kdsName) {
    this.kdsName = kdsName;
  }

  /** The name AMD KDS uses in URLs ({@code Milan}, {@code Genoa}, {@code Turin}). */
  public String kdsName() {
    return kdsName;
  }

  /** The claim value: {@code milan}, {@code genoa} or {@code turin}. */
  public String claim() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when TCB_VERSION uses the Turin layout (fmc, bootloader, tee, snp, ..., microcode). */
  boolean turinTcbLayout() {
    return this == TURIN;
  }

  /**
   * From a VCEK/VLEK productName extension such as {@code Milan-B0}, {@code Genoa} or {@code
   * Turin}.
   */
  static Optional<Product> fromProductName(String productName) {
    String base = productName.split("-", 2)[0].strip();
    for (Product product : values()) {
      if (product.kdsName.equalsIgnoreCase(base)) {
        return Optional.of(product);
      }
    }
    return Optional.empty();
  }

  /**
   * From the CPUID family and model a v3+ report carries (Zen 3 Milan: family 0x19 model 0x0X; Zen
   * 4 Genoa: family 0x19 model 0x1X / 0xAX; Zen 5 Turin: family 0x1A). Empty when unknown or zero
   * (v2 reports).
   */
  static Optional<Product> fromCpuid(int family, int model) {
    if (family == 0x19) {
      return Optional.of(model < 0x10 ? MILAN : GENOA);
    }
    if (family == 0x1A) {
      return Optional.of(TURIN);
    }
    return Optional.empty();
  }
}
