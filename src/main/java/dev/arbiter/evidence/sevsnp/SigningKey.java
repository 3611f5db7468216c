// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.util.Locale;

/**
 * Which AMD key signed a report: the chip-unique VCEK (chains to the ASK) or the cloud-provider
 * VLEK (chains to the ASVK). Encoded in bits 4:2 of the report's flags word.
 */
public enum SigningKey {
  VCEK,
  VLEK;

  public String claim() {
    return name().toLowerCase(Locale.ROOT);
  }
}
