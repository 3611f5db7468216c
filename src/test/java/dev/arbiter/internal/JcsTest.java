// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 vectors (from the RFC's appendix and its reference implementation's number table). */
class JcsTest {
  @Test
  void canonicalize_sortsMembersByUtf16_andEscapesMinimally() throws Exception {
    String input =
        "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
            + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}";
    String expected =
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    assertThat(new String(Jcs.canonicalize(Json.readTree(input)), StandardCharsets.UTF_8))
        .isEqualTo(expected);
  }

  @Test
  void canonicalize_ordersKeysByUtf16CodeUnits() throws Exception {
    String input =
        "{\"\\u20ac\":\"Euro\",\"\\r\":\"CR\",\"\\ufb33\":\"Hebrew\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji\",\"\\u0080\":\"Ctl\",\"\\u00f6\":\"o\"}";
    String canonical = new String(Jcs.canonicalize(Json.readTree(input)), StandardCharsets.UTF_8);
    assertThat(canonical)
        .isEqualTo(
            "{\"\\r\":\"CR\",\"1\":\"One\",\"\u0080\":\"Ctl\",\"ö\":\"o\",\"€\":\"Euro\",\"😀\":\"Emoji\",\"דּ\":\"Hebrew\"}");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "-0.0, 0",
    "1, 1",
    "1.5, 1.5",
    "1e21, 1e+21",
    "1e20, 100000000000000000000",
    "1e-6, 0.000001",
    "1e-7, 1e-7",
    "123456789012345680000, 123456789012345680000",
    "4.35, 4.35",
    "0.1, 0.1",
    "5e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308"
  })
  void ecmaScriptNumber_matchesNumberPrototypeToString(double value, String expected) {
    assertThat(Jcs.ecmaScriptNumber(value)).isEqualTo(expected);
  }

  @Test
  void canonicalize_refusesUnsafeIntegers() throws Exception {
    assertThatThrownBy(() -> Jcs.canonicalize(Json.readTree("{\"n\": 9007199254740993}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
