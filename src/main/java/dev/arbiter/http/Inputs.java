// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;

/**
 * Checks on path and query parameters before any handler sees them: bounded length, no control
 * characters (NUL included) and no replacement characters from invalid UTF-8, so that bad input is
 * a 400 problem and never reaches the database or the logs.
 */
final class Inputs {
  static final int MAX_PARAMETER = 512;

  private Inputs() {}

  static String pathParameter(String name, String value) {
    return check("path parameter " + name, value);
  }

  static String queryParameter(String name, String value) {
    return check("query parameter " + name, value);
  }

  private static String check(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, what + " is empty");
    }
    if (value.length() > MAX_PARAMETER) {
      throw new ProblemException(
          CommonProblem.INVALID_FIELD, what + " is longer than " + MAX_PARAMETER + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)
          || c == '\uFFFD'
          || Character.isSurrogate(c) && !validSurrogate(value, i)) {
        throw new ProblemException(
            CommonProblem.INVALID_FIELD, what + " contains a control character or invalid UTF-8");
      }
    }
    return value;
  }

  private static boolean validSurrogate(String value, int i) {
    char c = value.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
  }

  /**
   * A problem detail safe to show an unauthenticated caller: Java type names that libraries put in
   * their messages are replaced, so the internals of the server are not revealed.
   */
  static String safeDetail(String detail) {
    if (detail == null) {
      return null;
    }
    return detail
        .replaceAll(
            "`?\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:\\$[A-Za-z0-9_]+)*`?", "value")
        .replaceAll("\\(class [^)]*\\)", "");
  }
}
