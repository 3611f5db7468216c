// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import java.util.List;

/**
 * A parsed SBOM.
 *
 * @param format CycloneDX or SPDX
 * @param specVersion the spec version as the document states it ({@code 1.5}, {@code 2.3})
 * @param components every CycloneDX component including nested ones (not {@code
 *     metadata.component}), or every SPDX package, in document order
 * @param binding what the SBOM describes (for checking it belongs to a version's artifact)
 */
public record Sbom(
    SbomFormat format, String specVersion, List<Component> components, SbomBinding binding) {
  public Sbom {
    components = List.copyOf(components);
  }

  /** The CLI's {@code format} value, e.g. {@code cyclonedx-1.5} or {@code spdx-2.3}. */
  public String formatId() {
    return format.id() + "-" + specVersion;
  }
}
