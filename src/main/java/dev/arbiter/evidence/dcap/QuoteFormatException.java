// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;

/** A quote that cannot be decoded; carries the typed problem to report. */
public final class QuoteFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  private QuoteFormatException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  static QuoteFormatException malformed(String detail) {
    return new QuoteFormatException(Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, detail));
  }

  static QuoteFormatException unsupported(String detail) {
    return new QuoteFormatException(Problem.of(EvidenceProblem.UNSUPPORTED_VERSION, detail));
  }

  public Problem problem() {
    return problem;
  }
}
