// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

/**
 * The guest policy the VM was launched with (SEV-SNP ABI, GUEST_POLICY): bits 7:0 ABI minor, 15:8
 * ABI major, 16 SMT allowed, 17 reserved (must be 1), 18 migration agent allowed, 19 debug
 * allowed, 20 single socket only, 21 CXL allowed, 22 AES-256-XTS required, 23 RAPL disabled, 24
 * ciphertext hiding required, 25 page swap disabled.
 */
record GuestPolicy(long raw) {
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
