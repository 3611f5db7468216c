// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import java.util.Map;
import java.util.Optional;

/**
 * One component of an SBOM (a CycloneDX component, nested ones included, or an SPDX package).
 *
 * @param name the component name ({@code group/name} is not joined: see {@code purl})
 * @param version the version as written, or null
 * @param purl the package URL as written (CycloneDX {@code purl}, SPDX {@code externalRefs} of type
 *     purl), or null
 * @param hashes digests by normalised algorithm ({@code sha256}, {@code sha1}, {@code sha3-256},
 *     ...) to lowercase hex
 * @param packageRef the OSV identity derived from the purl; empty without a usable purl or for a
 *     purl type with no OSV ecosystem (such a component is counted but never matched)
 */
public record Component(
    String name,
    String version,
    String purl,
    Map<String, String> hashes,
    Optional<PackageRef> packageRef) {
  public Component {
    hashes = Map.copyOf(hashes);
  }

  /** A component known only by its purl (tests, benchmarks and API callers). */
  public static Component ofPurl(String purl) {
    Optional<PackageRef> ref = Purls.packageRef(purl);
    return new Component(
        ref.map(PackageRef::name).orElse(purl),
        ref.map(PackageRef::version).orElse(null),
        purl,
        Map.of(),
        ref);
  }
}
