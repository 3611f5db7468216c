// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

/** The SBOM standards Arbiter reads (JSON encodings only). */
public enum SbomFormat {
  CYCLONEDX("cyclonedx"),
  SPDX("spdx");

  private final String id;

  SbomFormat(String id) {
    this.id = id;
  }

  /** Lowercase id used in output, e.g. {@code cyclonedx}. */
  public String id() {
    return id;
  }
}
