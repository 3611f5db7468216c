// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.arbiter.problem.ProblemException;
import java.util.regex.Pattern;

/** The allowed forms of workload names, version labels and reasons. */
public final class Names {
  private static final Pattern WORKLOAD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private Names() {}

  public static String workload(String name) {
    if (name == null || !WORKLOAD.matcher(name).matches()) {
      throw new ProblemException(
          PolicyProblem.INVALID_NAME,
          "workload name must match " + WORKLOAD.pattern() + ": " + abbreviate(name));
    }
    return name;
  }

  public static String version(String label) {
    if (label == null || !VERSION.matcher(label).matches()) {
      throw new ProblemException(
          PolicyProblem.INVALID_NAME,
          "version label must match " + VERSION.pattern() + ": " + abbreviate(label));
    }
    return label;
  }

  public static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new ProblemException(PolicyProblem.REASON_REQUIRED, "give a reason for this change");
    }
    if (reason.length() > 2000) {
      throw new ProblemException(
          PolicyProblem.REASON_REQUIRED, "a reason has at most 2000 characters");
    }
    return reason.strip();
  }

  /** An artifact digest {@code sha256:<64 lowercase hex>} (input case-insensitive). */
  public static String digest(String digest) {
    String normalized = digest == null ? "" : digest.toLowerCase(java.util.Locale.ROOT);
    if (!DIGEST.matcher(normalized).matches()) {
      throw new ProblemException(
          PolicyProblem.INVALID_DIGEST, "digest must be sha256:<64 hex>: " + abbreviate(digest));
    }
    return normalized;
  }

  static String abbreviate(String text) {
    if (text == null) {
      return "(missing)";
    }
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
