// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.util.Optional;

/**
 * Supplies the VCEK for a chip at a TCB when the evidence brings none (e.g. from AMD KDS). What it
 * returns is not trusted: the scheme verifies it like any supplied certificate.
 */
public interface VcekFetcher {
  /**
   * @param product the chip's product
   * @param hwId the chip id (64 bytes; the first 8 on Turin)
   * @param tcb the report's {@code reported_tcb}
   * @return the DER VCEK, or empty when it cannot be had
   */
  Optional<byte[]> fetch(Product product, byte[] hwId, TcbVersion tcb);
}
