// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import java.util.Arrays;
import java.util.Set;

/**
 * Which registers an event log extends and where the boot events go.
 *
 * <ul>
 *   <li>{@link #TPM}: TPM PCRs 0..23 (PC Client profile). PCRs 17..22 start at all ones, the others
 *       at zero, PCR 0 at the locality a {@code StartupLocality} EV_NO_ACTION event names. Secure
 *       Boot variables in PCR 7, boot applications in PCR 4, GRUB commands in PCR 8, systemd-stub's
 *       command line in PCR 12.
 *   <li>{@link #CCEL}: confidential-computing measurement registers (UEFI 2.10 §38.4.1, Intel TDX):
 *       index 0 is MRTD (built by the TDX module, never extended by events), 1..4 are RTMR0..3, all
 *       starting at zero. The firmware maps PCR 1 and 7 to RTMR0 (index 1), PCR 2..6 to RTMR1
 *       (index 2), PCR 8..15 to RTMR2 (index 3); so Secure Boot variables are in index 1, boot
 *       applications in index 2, GRUB and systemd-stub events in index 3.
 * </ul>
 */
public enum Profile {
  TPM(23, Set.of(7L), Set.of(4L), Set.of(8L), Set.of(12L)),
  CCEL(4, Set.of(1L), Set.of(2L), Set.of(3L), Set.of(3L));

  final long maxIndex;
  final Set<Long> secureBoot;
  final Set<Long> applications;
  final Set<Long> grub;
  final Set<Long> stub;

  Profile(
      long maxIndex, Set<Long> secureBoot, Set<Long> applications, Set<Long> grub, Set<Long> stub) {
    this.maxIndex = maxIndex;
    this.secureBoot = secureBoot;
    this.applications = applications;
    this.grub = grub;
    this.stub = stub;
  }

  /** The register's name in problems and claims: {@code pcr 7}, {@code rtmr0}, {@code mrtd}. */
  public String register(long index) {
    if (this == TPM) {
      return "pcr " + index;
    }
    return index == 0 ? "mrtd" : "rtmr" + (index - 1);
  }

  /** True when events may extend the register (CCEL index 0, MRTD, is not extendable). */
  boolean extendable(long index) {
    return index <= maxIndex && (this == TPM || index >= 1);
  }

  /** The register's value before the first event. */
  byte[] initial(long index, int size, int locality) {
    byte[] value = new byte[size];
    if (this == TPM && index >= 17 && index <= 22) {
      Arrays.fill(value, (byte) 0xff);
    }
    if (this == TPM && index == 0) {
      value[size - 1] = (byte) locality;
    }
    return value;
  }
}
