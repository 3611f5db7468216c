// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The AMD trust anchors an {@link SevSnpScheme} accepts: for each product and key kind, the
 * intermediate (ASK for VCEKs, ASVK for VLEKs) and the self-signed root (ARK). Production uses
 * {@link #pinned()}, the certificates shipped with Arbiter and checked against SHA-256 fingerprint
 * constants; tests inject their own with {@link #of}. Immutable.
 */
public record AmdTrust(List<Anchor> anchors) {
  /**
   * One chain a key certificate may use.
   *
   * @param product the product the chain serves
   * @param kind VCEK (intermediate = ASK) or VLEK (intermediate = ASVK)
   * @param intermediate the ASK or ASVK, issued by {@code root}
   * @param root the self-signed ARK, the trust anchor
   */
  public record Anchor(
      Product product, SigningKey kind, X509Certificate intermediate, X509Certificate root) {
    public Anchor {
      Objects.requireNonNull(product, "product");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(intermediate, "intermediate");
      Objects.requireNonNull(root, "root");
    }
  }

  public AmdTrust {
    anchors = List.copyOf(anchors);
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one AMD anchor");
    }
  }

  public static AmdTrust of(List<Anchor> anchors) {
    return new AmdTrust(anchors);
  }

  /** AMD's production ARK/ASK/ASVK for Milan, Genoa and Turin, fingerprint-checked at load. */
  public static AmdTrust pinned() {
    return PinnedAmdRoots.load();
  }

  /** The anchor whose intermediate issued {@code leaf} (by issuer name), if any. */
  Optional<Anchor> issuerOf(X509Certificate leaf) {
    for (Anchor anchor : anchors) {
      if (anchor.intermediate().getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        return Optional.of(anchor);
      }
    }
    return Optional.empty();
  }
}
