// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's PLATFORM_INFO (SEV-SNP ABI, ATTESTATION_REPORT offset 0x40): bit 0 SMT enabled, 1
 * TSME enabled, 2 ECC memory in use, 3 RAPL disabled, 4 ciphertext hiding for DRAM enabled, 5 the
 * memory alias check completed (BadRAM), 6 IOMMU write buffer safe (Turin), 7 SEV-TIO enabled.
 * Higher bits are reserved and stay visible only in the raw {@code platform_info} claim.
 */
record PlatformInfo(long raw) {
  /** The names {@link #bitClaims} uses, in bit order. */
  static final List<String> BIT_CLAIMS =
      List.of(
          "platform_smt_enabled",
          "platform_tsme_enabled",
          "platform_ecc_enabled",
          "platform_rapl_disabled",
          "platform_ciphertext_hiding_dram_enabled",
          "platform_alias_check_complete",
          "platform_iommu_write_safe",
          "platform_tio_enabled");

  /**
   * Bits 0..7 as boolean claims; {@code platform_smt_enabled} and {@code platform_tsme_enabled} are
   * the names Trustee's SNP verifier emits.
   */
  Map<String, Boolean> bitClaims() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (int bit = 0; bit < BIT_CLAIMS.size(); bit++) {
      out.put(BIT_CLAIMS.get(bit), ((raw >>> bit) & 1L) == 1L);
    }
    return out;
  }
}
