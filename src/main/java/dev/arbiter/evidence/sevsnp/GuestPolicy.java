// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest policy the VM was launched with (SEV-SNP ABI, GUEST_POLICY): bits 7:0 ABI minor, 15:8
 * ABI major, 16 SMT allowed, 17 reserved (must be 1), 18 migration agent allowed, 19 debug allowed,
 * 20 single socket only, 21 CXL allowed, 22 AES-256-XTS required, 23 RAPL disabled, 24 ciphertext
 * hiding required, 25 page swap disabled.
 */
record GuestPolicy(long raw) {
  /**
   * Every named bit as a boolean claim, named as Trustee's SNP verifier names the four it emits
   * ({@code policy_smt_allowed}, {@code policy_migrate_ma}, {@code policy_debug_allowed}, {@code
   * policy_single_socket}) and the rest after the ABI's field names.
   */
  Map<String, Boolean> bitClaims() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    out.put("policy_smt_allowed", smtAllowed());
    out.put("policy_migrate_ma", migrationAgentAllowed());
    out.put("policy_debug_allowed", debugAllowed());
    out.put("policy_single_socket", singleSocket());
    out.put("policy_cxl_allowed", cxlAllowed());
    out.put("policy_mem_aes_256_xts", memAes256Xts());
    out.put("policy_rapl_disabled", raplDisabled());
    out.put("policy_ciphertext_hiding_dram", ciphertextHiding());
    out.put("policy_page_swap_disabled", pageSwapDisabled());
    return out;
  }

  /** The names {@link #bitClaims} uses, in order. */
  static final List<String> BIT_CLAIMS = List.copyOf(new GuestPolicy(0).bitClaims().keySet());

  int abiMinor() {
    return (int) (raw & 0xff);
  }

  int abiMajor() {
    return (int) ((raw >>> 8) & 0xff);
  }

  boolean smtAllowed() {
    return bit(16);
  }

  boolean reservedOne() {
    return bit(17);
  }

  boolean migrationAgentAllowed() {
    return bit(18);
  }

  boolean debugAllowed() {
    return bit(19);
  }

  boolean singleSocket() {
    return bit(20);
  }

  boolean cxlAllowed() {
    return bit(21);
  }

  boolean memAes256Xts() {
    return bit(22);
  }

  boolean raplDisabled() {
    return bit(23);
  }

  boolean ciphertextHiding() {
    return bit(24);
  }

  boolean pageSwapDisabled() {
    return bit(25);
  }

  private boolean bit(int index) {
    return ((raw >>> index) & 1L) == 1L;
  }
}
