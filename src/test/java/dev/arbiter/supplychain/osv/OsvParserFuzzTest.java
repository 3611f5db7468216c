// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.sbom.Component;
import java.util.ArrayList;
import java.util.List;

/**
 * Any bytes give advisories or {@link AdvisoryProblem#ADVISORY_MALFORMED}; matching them never
 * throws.
 */
class OsvParserFuzzTest {
  private static final List<Component> COMPONENTS =
      List.of(
          Component.ofPurl("pkg:npm/lodash@4.17.20"),
          Component.ofPurl("pkg:golang/golang.org/x/text@v0.3.7"),
          Component.ofPurl("pkg:pypi/django@3.2.1"),
          Component.ofPurl("pkg:maven/g/a@1.0-SNAPSHOT"),
          Component.ofPurl("pkg:gem/rack@2.0.a"),
          Component.ofPurl("pkg:cargo/tokio@1.19.2"),
          Component.ofPurl("pkg:github/o/r@" + "a".repeat(40)));

  @FuzzTest(maxDuration = "30s")
  void parseAndMatch_anyBytes_neverThrowsUnchecked(byte[] data) {
    List<Problem> notes = new ArrayList<>();
    List<Advisory> advisories;
    try {
      advisories = OsvParser.parse(data, "fuzz", notes);
    } catch (ProblemException e) {
      if (e.problem().type() != AdvisoryProblem.ADVISORY_MALFORMED) {
        throw new AssertionError("unexpected problem type " + e.problem().type(), e);
      }
      return;
    }
    AdvisoryIndex index = new AdvisoryIndex();
    index.addAll(advisories);
    new Scanner(index).scan(COMPONENTS);
  }
}
