// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.problem;

import java.util.Objects;

/**
 * One expected rejection of input: a stable {@link ProblemType} and a human-readable detail. The
 * detail must never contain secrets, keys or whole evidence.
 */
public record Problem(ProblemType type, String detail) {
  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type, detail);
  }

  public static Problem of(ProblemType type, String format, Object... args) {
    return new Problem(type, String.format(java.util.Locale.ROOT, format, args));
  }

  @Override
  public String toString() {
    return type.uri() + ": " + detail;
  }
}
