// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@link Inputs#decodeEvidence}: the sniffing stays, the decoding follows internal.Encodings. */
class InputsEvidenceTest {
  private static final byte[] BYTES = new byte[100];

  static {
    for (int i = 0; i < BYTES.length; i++) {
      BYTES[i] = (byte) (i * 37 + 11);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void decodeEvidence_hexFileWithPrefixAndNewline_isDecoded() {
    assertThat(
            Inputs.decodeEvidence(ascii("0x" + java.util.HexFormat.of().formatHex(BYTES) + "\n")))
        .isEqualTo(BYTES);
    assertThat(
            Inputs.decodeEvidence(ascii(java.util.HexFormat.of().withUpperCase().formatHex(BYTES))))
        .isEqualTo(BYTES);
  }

  @Test
  void decodeEvidence_base64WrappedAt76_orUrlSafeUnpadded_isDecoded() {
    assertThat(Inputs.decodeEvidence(ascii(Base64.getMimeEncoder().encodeToString(BYTES) + "\n")))
        .isEqualTo(BYTES);
    assertThat(
            Inputs.decodeEvidence(
                ascii(Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES))))
        .isEqualTo(BYTES);
  }

  @Test
  void decodeEvidence_containersAndBinary_arePassedOnUnchanged() {
    for (String text :
        new String[] {
          "{\"outblob\":\"AA==\"}",
          "[1,2]",
          "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"
        }) {
      assertThat(Inputs.decodeEvidence(ascii(text))).isEqualTo(ascii(text));
    }
    byte[] binary = {0x01, (byte) 0xff, 0x00};
    assertThat(Inputs.decodeEvidence(binary)).isEqualTo(binary);
  }

  @Test
  void decodeEvidence_textThatIsNotStrictBase64_isPassedOnUnchanged() {
    // mixed alphabets, unused bits set (the canonical encoding of 0xff is "/w"), padding in the
    // middle
    for (String text : new String[] {"ab+c-d__", "/x==", "AA==AA==", "not base64 at all!"}) {
      assertThat(Inputs.decodeEvidence(ascii(text))).as(text).isEqualTo(ascii(text));
    }
  }
}
