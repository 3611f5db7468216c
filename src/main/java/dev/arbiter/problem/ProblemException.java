// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.problem;

import java.util.List;

/**
 * Thrown to end a request or command with one or more expected problems. Mapped at the edge (HTTP:
 * {@code application/problem+json}; CLI: exit code 1 or 2 and a one-line message). Carries no stack
 * trace: it is an outcome, not a bug.
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ProblemException(List<Problem> problems) {
    super(problems.isEmpty() ? "problem" : problems.get(0).toString(), null, false, false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ProblemException(Problem problem) {
    this(List.of(problem));
  }

  public ProblemException(ProblemType type, String detail) {
    this(new Problem(type, detail));
  }

  public List<Problem> problems() {
    return problems;
  }

  /** The first problem: decides the HTTP status. */
  public Problem problem() {
    return problems.get(0);
  }
}
