// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/** Every ordering parses any string or declines, and compares antisymmetrically and reflexively. */
class VersionOrderingFuzzTest {
  private static final List<VersionOrdering> ORDERINGS =
      List.of(
          SemVer.STRICT,
          SemVer.GO,
          SemVer.NPM,
          SemVer.CARGO,
          MavenVersion.INSTANCE,
          Pep440Version.INSTANCE,
          RubyGemsVersion.INSTANCE,
          DebianVersion.INSTANCE);

  @FuzzTest(maxDuration = "30s")
  void compare_anyStrings_totalAndAntisymmetric(FuzzedDataProvider data) {
    String left = data.consumeString(80);
    String right = data.consumeRemainingAsString();
    for (VersionOrdering ordering : ORDERINGS) {
      var a = ordering.parse(left);
      var b = ordering.parse(right);
      if (a.isPresent() && b.isPresent()) {
        int ab = Integer.signum(a.get().compareTo(b.get()));
        int ba = Integer.signum(b.get().compareTo(a.get()));
        if (ab != -ba || a.get().compareTo(a.get()) != 0) {
          throw new AssertionError(ordering.name() + " not antisymmetric: " + left + " / " + right);
        }
        if (ab == 0 && a.get().hashCode() != b.get().hashCode()) {
          throw new AssertionError(
              ordering.name() + " equal versions with different hashes: " + left + " / " + right);
        }
      }
    }
  }
}
