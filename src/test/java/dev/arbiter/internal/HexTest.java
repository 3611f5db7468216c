// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link Hex#decode} is {@link Encodings#hex} after dropping surrounding white space and {@code
 * 0x}.
 */
class HexTest {
  @Test
  void decode_prefixAndSurroundingWhiteSpace_areDropped_caseIgnored() {
    assertThat(Hex.decode(" 0xDEad01\n")).containsExactly(0xde, 0xad, 0x01);
    assertThat(Hex.decode("0X00")).containsExactly(0x00);
    assertThat(Hex.decode("")).isEmpty();
  }

  @Test
  void decode_oddLengthInnerWhiteSpaceOrNonAsciiDigits_isRefusedAsEncodingsRefusesIt() {
    for (String text : new String[] {"abc", "ab cd", "\u0661\u0662", "0x0x00", "zz"}) {
      assertThatThrownBy(() -> Hex.decode(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Encodings.hex(text.strip()))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void isHex_onlyAsciiHexDigitsOfEvenLength() {
    assertThat(Hex.isHex("00ffAB")).isTrue();
    assertThat(Hex.isHex("")).isFalse();
    assertThat(Hex.isHex("abc")).isFalse();
    assertThat(Hex.isHex("\u0661\u0662")).isFalse();
    assertThat(Hex.isHex("0x00")).isFalse();
  }

  @Test
  void encode_isLowercase() {
    assertThat(Hex.encode(new byte[] {(byte) 0xAB, 0x01})).isEqualTo("ab01");
    assertThat(Hex.encode(new byte[] {0, 1, 2, 3}, 1, 2)).isEqualTo("0102");
  }
}
