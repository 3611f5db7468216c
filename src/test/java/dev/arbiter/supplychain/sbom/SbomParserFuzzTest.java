// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.problem.ProblemException;

/** Any bytes give an {@link Sbom} or a typed {@link SbomProblem}; never another exception. */
class SbomParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse_anyBytes_sbomOrTypedProblem(byte[] data) {
    try {
      Sbom sbom = SbomParser.parse(data);
      sbom.formatId();
      sbom.binding().binds("sha256", "00");
    } catch (ProblemException e) {
      if (!(e.problem().type() instanceof SbomProblem)) {
        throw new AssertionError("unexpected problem type " + e.problem().type(), e);
      }
    }
  }
}
