// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Certificates;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The AMD roots shipped with Arbiter and their fingerprint pinning. */
class AmdTrustTest {
  @Test
  void pinned_hasAskAndAsvkChainsForEveryProduct() {
    AmdTrust trust = AmdTrust.pinned();
    Set<String> chains =
        trust.anchors().stream().map(a -> a.product() + "/" + a.kind()).collect(Collectors.toSet());
    assertThat(chains)
        .containsExactlyInAnyOrder(
            "MILAN/VCEK", "GENOA/VCEK", "TURIN/VCEK", "MILAN/VLEK", "GENOA/VLEK", "TURIN/VLEK");
    for (AmdTrust.Anchor anchor : trust.anchors()) {
      assertThat(anchor.root().getSubjectX500Principal().getName())
          .contains("CN=ARK-" + anchor.product().kdsName());
      assertThat(anchor.intermediate().getIssuerX500Principal())
          .isEqualTo(anchor.root().getSubjectX500Principal());
      assertThat(anchor.intermediate().getSubjectX500Principal().getName())
          .contains(
              anchor.kind() == SigningKey.VCEK
                  ? "CN=SEV-" + anchor.product().kdsName()
                  : "CN=SEV-VLEK-");
    }
    assertThat(Certificates.fingerprint(trust.anchors().get(0).root()))
        .isEqualTo(PinnedAmdRoots.ARK_MILAN);
  }

  @Test
  void pinning_aCertificateWithAnotherFingerprint_refusesToLoad() {
    var impostor = SnpFixtures.newPki(Product.MILAN).ark();
    assertThatThrownBy(
            () -> PinnedAmdRoots.check("ask_ark_milan.pem", impostor, PinnedAmdRoots.ARK_MILAN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing");
  }
}
