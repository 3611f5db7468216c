// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.internal.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestsTest {
  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

  @Test
  void digest_namedAlgorithm_matchesTheFixedHelpersAndKnownAnswers() {
    assertThat(Hex.encode(Digests.digest("SHA-256", ABC)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Digests.digest("SHA-384", ABC)).isEqualTo(Digests.sha384(ABC));
    assertThat(Digests.digest("SHA-512", ABC)).isEqualTo(Digests.sha512(ABC));
    assertThat(Digests.length("SHA-384")).isEqualTo(48);
  }

  @Test
  void digest_parts_isTheDigestOfTheConcatenation() {
    byte[] a = {'a'};
    byte[] bc = {'b', 'c'};
    assertThat(Digests.digest("SHA-256", a, bc)).isEqualTo(Digests.sha256(ABC));
    assertThat(Digests.digest("SHA-256")).isEqualTo(Digests.sha256(new byte[0]));
  }

  @Test
  void digest_unknownAlgorithm_throwsIllegalState() {
    assertThatThrownBy(() -> Digests.digest("SHA-NONE", ABC))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void constantTimeEquals_comparesContentAndLength() {
    assertThat(Digests.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
    assertThat(Digests.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
    assertThat(Digests.constantTimeEquals(new byte[] {1, 2}, new byte[] {1})).isFalse();
  }
}
