// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.internal.Hex;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds a scheme's declared byte claims ({@link SchemeDescriptor#byteClaims()}) against the claims
 * it produced from generated evidence, both ways: every declared claim it produced is lowercase hex
 * of a declared length (so a wrong length fails), and every other claim whose value is hex is one
 * the test names as having no fixed length (so a forgotten declaration fails).
 */
public final class ByteClaimsAssert {
  private ByteClaimsAssert() {}

  /**
   * @param variableLength claims that are hex but deliberately not declared (no fixed length, or
   *     text that happens to be hex digits); {@code prefix.*} names every claim below {@code
   *     prefix}
   * @return the declared byte claims that were present (and so checked)
   */
  public static Set<String> assertByteClaims(
      SchemeDescriptor descriptor, Claims claims, Set<String> variableLength) {
    Set<String> checked = new TreeSet<>();
    for (Map.Entry<String, Object> claim : claims.flatten().entrySet()) {
      String name = claim.getKey();
      Set<Integer> lengths = descriptor.byteClaims().get(name);
      if (lengths != null) {
        assertThat(claim.getValue()).as(descriptor.id() + " " + name).isInstanceOf(String.class);
        String hex = (String) claim.getValue();
        assertThat(Hex.isHex(hex) && hex.equals(hex.toLowerCase(java.util.Locale.ROOT)))
            .as(descriptor.id() + " " + name + " is lowercase hex")
            .isTrue();
        assertThat(lengths)
            .as(descriptor.id() + " " + name + " has a declared length")
            .contains(hex.length() / 2);
        checked.add(name);
      } else if (claim.getValue() instanceof String text
          && Hex.isHex(text)
          && variableLength.stream()
              .noneMatch(
                  p -> p.endsWith(".*") && name.startsWith(p.substring(0, p.length() - 1)))) {
        assertThat(variableLength)
            .as(
                descriptor.id()
                    + " "
                    + name
                    + " is hex ("
                    + text.length() / 2
                    + " bytes) but not a declared byte claim")
            .contains(name);
      }
    }
    return checked;
  }
}
