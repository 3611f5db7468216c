// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodingsTest {
  @Test
  void base64_everyAcceptedSpelling_decodesToTheSameBytes() {
    Random random = new Random(7);
    for (int length = 0; length < 40; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      assertThat(Encodings.base64(Base64.getEncoder().encodeToString(bytes))).isEqualTo(bytes);
      assertThat(Encodings.base64(Base64.getEncoder().withoutPadding().encodeToString(bytes)))
          .isEqualTo(bytes);
      assertThat(Encodings.base64(Base64.getUrlEncoder().encodeToString(bytes))).isEqualTo(bytes);
      assertThat(Encodings.base64Url(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)))
          .isEqualTo(bytes);
    }
  }

  @Test
  void base64_mixedAlphabets_refused() {
    assertThatThrownBy(() -> Encodings.base64("ab+_")).hasMessageContaining("mixed");
  }

  @Test
  void base64_whitespaceOrForeignCharacters_refused() {
    assertThatThrownBy(() -> Encodings.base64("YWJj\nZGVm"))
        .hasMessageContaining("not a base64 character");
    assertThatThrownBy(() -> Encodings.base64("YW%j"))
        .hasMessageContaining("not a base64 character");
    assertThatThrownBy(() -> Encodings.base64("YWJ\u0000"))
        .hasMessageContaining("not a base64 character");
  }

  @Test
  void base64_wrongPaddingOrLength_refused() {
    assertThatThrownBy(() -> Encodings.base64("YQ=")).hasMessageContaining("padding");
    assertThatThrownBy(() -> Encodings.base64("YQ===")).hasMessageContaining("padding");
    assertThatThrownBy(() -> Encodings.base64("Y=Q=")).hasMessageContaining("middle");
    assertThatThrownBy(() -> Encodings.base64("YWJjZ")).hasMessageContaining("length");
  }

  @Test
  void base64_nonCanonicalTrailingBits_refused() {
    // "YR" and "YQ" would both decode to "a" with a lenient decoder
    assertThat(Encodings.base64("YQ")).isEqualTo(new byte[] {'a'});
    assertThatThrownBy(() -> Encodings.base64("YR")).hasMessageContaining("non-canonical");
    assertThatThrownBy(() -> Encodings.base64Url("YR")).hasMessageContaining("non-canonical");
  }

  @Test
  void base64Url_paddingOrStandardAlphabet_refused() {
    assertThatThrownBy(() -> Encodings.base64Url("YQ=="))
        .hasMessageContaining("base64url character");
    assertThatThrownBy(() -> Encodings.base64Url("a+b/"))
        .hasMessageContaining("base64url character");
  }

  @Test
  void hex_eitherCase_decodes() {
    assertThat(Encodings.hex("c0FFee")).containsExactly(0xc0, 0xff, 0xee);
    assertThat(Encodings.hex("")).isEmpty();
  }

  @Test
  void hex_oddLengthPrefixOrForeignDigits_refused() {
    assertThatThrownBy(() -> Encodings.hex("abc")).hasMessageContaining("odd");
    assertThatThrownBy(() -> Encodings.hex("0xab")).hasMessageContaining("not a hex digit");
    assertThatThrownBy(() -> Encodings.hex("zz")).hasMessageContaining("not a hex digit");
    assertThatThrownBy(() -> Encodings.hex("\u0661\u0662")).hasMessageContaining("not a hex digit");
  }

  @Test
  void withoutWhitespace_removesLineBreaksAndSpaces() {
    assertThat(Encodings.withoutWhitespace(" YW\r\nJj\t")).isEqualTo("YWJj");
  }
}
