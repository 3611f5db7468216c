// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Locale;

/**
 * An advisory's severity: a label, and the numeric base score when it was computed from a CVSS
 * vector (v3.x or v2; v4.0 vectors are kept but not scored, see the package README).
 *
 * @param score CVSS base score 0.0-10.0, or null when none was computed
 * @param vector the CVSS vector it was computed from, or null
 * @param source {@code CVSS_V3}, {@code CVSS_V2}, {@code CVSS_V4}, {@code Ubuntu}, {@code
 *     database_specific} or {@code none}
 */
public record Severity(Label label, Double score, String vector, String source) {
  /** CVSS qualitative ratings; {@code UNKNOWN} when the advisory gives nothing usable. */
  public enum Label {
    NONE,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL,
    UNKNOWN
  }

  public static final Severity UNKNOWN = new Severity(Label.UNKNOWN, null, null, "none");

  /** CVSS v3/v4 qualitative rating of a base score. */
  static Label ratingOf(double score) {
    if (score == 0.0) {
      return Label.NONE;
    }
    if (score < 4.0) {
      return Label.LOW;
    }
    if (score < 7.0) {
      return Label.MEDIUM;
    }
    return score < 9.0 ? Label.HIGH : Label.CRITICAL;
  }

  /** GHSA {@code LOW/MODERATE/HIGH/CRITICAL}, Ubuntu priorities and CVSS words to a label. */
  static Label labelOf(String text) {
    return switch (text.strip().toUpperCase(Locale.ROOT)) {
      case "NONE" -> Label.NONE;
      case "LOW", "NEGLIGIBLE" -> Label.LOW;
      case "MODERATE", "MEDIUM" -> Label.MEDIUM;
      case "HIGH", "IMPORTANT" -> Label.HIGH;
      case "CRITICAL" -> Label.CRITICAL;
      default -> Label.UNKNOWN;
    };
  }
}
