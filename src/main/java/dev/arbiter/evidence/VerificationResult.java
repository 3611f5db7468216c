// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of verifying evidence: the claims that could be extracted (possibly partial when
 * verification failed) and every failed check. Valid exactly when there are no problems.
 */
public record VerificationResult(String format, Claims claims, List<Problem> problems) {
  public VerificationResult {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(claims, "claims");
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  public static VerificationResult failed(String format, Problem problem) {
    return new VerificationResult(format, Claims.empty(), List.of(problem));
  }
}
