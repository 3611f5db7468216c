// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CVSS base scores computed from vectors: v3.0 and v3.1 (FIRST specification section 7.1 with the
 * v3.1 Roundup of Appendix A; v3.0 uses the plain ceiling to one decimal) and v2 (FIRST v2 guide,
 * section 3.2.1). Temporal and environmental metrics are allowed in the vector but do not change
 * the base score. A vector with a missing, duplicate or unknown base metric value is invalid.
 */
final class Cvss {
  private static final Set<String> V3_BASE = Set.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");
  private static final Set<String> V3_OTHER =
      Set.of("E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA");
  private static final Set<String> V2_BASE = Set.of("AV", "AC", "Au", "C", "I", "A");
  private static final Set<String> V2_OTHER =
      Set.of("E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR");

  private Cvss() {}

  /** The v3.x base score, or empty when the vector is not a valid v3.0/v3.1 vector. */
  static Optional<Double> v3(String vector) {
    if (vector == null || vector.length() > 200) {
      return Optional.empty();
    }
    boolean v31;
    if (vector.startsWith("CVSS:3.1/")) {
      v31 = true;
    } else if (vector.startsWith("CVSS:3.0/")) {
      v31 = false;
    } else {
      return Optional.empty();
    }
    Map<String, String> m = metrics(vector.substring(9), V3_BASE, V3_OTHER);
    if (m == null) {
      return Optional.empty();
    }
    String scope = m.get("S");
    if (!scope.equals("U") && !scope.equals("C")) {
      return Optional.empty();
    }
    boolean changed = scope.equals("C");
    Double av = pick(m.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
    Double ac = pick(m.get("AC"), "L", 0.77, "H", 0.44);
    Double pr = pick(m.get("PR"), "N", 0.85, "L", changed ? 0.68 : 0.62, "H", changed ? 0.5 : 0.27);
    Double ui = pick(m.get("UI"), "N", 0.85, "R", 0.62);
    Double c = pick(m.get("C"), "H", 0.56, "L", 0.22, "N", 0.0);
    Double i = pick(m.get("I"), "H", 0.56, "L", 0.22, "N", 0.0);
    Double a = pick(m.get("A"), "H", 0.56, "L", 0.22, "N", 0.0);
    if (av == null
        || ac == null
        || pr == null
        || ui == null
        || c == null
        || i == null
        || a == null) {
      return Optional.empty();
    }
    double iss = 1 - ((1 - c) * (1 - i) * (1 - a));
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0) {
      return Optional.of(0.0);
    }
    double raw =
        changed
            ? Math.min(1.08 * (impact + exploitability), 10)
            : Math.min(impact + exploitability, 10);
    return Optional.of(v31 ? roundUp31(raw) : Math.ceil(raw * 10) / 10.0);
  }

  /** CVSS v3.1 Appendix A Roundup: avoids floating-point artefacts such as 4.000000001 to 4.1. */
  static double roundUp31(double value) {
    long intInput = Math.round(value * 100000);
    if (intInput % 10000 == 0) {
      return intInput / 100000.0;
    }
    return (Math.floor(intInput / 10000.0) + 1) / 10.0;
  }

  /**
   * The v2 base score, or empty when the vector is not a valid v2 vector (optionally {@code
   * (...)}).
   */
  static Optional<Double> v2(String vector) {
    if (vector == null || vector.length() > 200) {
      return Optional.empty();
    }
    String body =
        vector.startsWith("(") && vector.endsWith(")")
            ? vector.substring(1, vector.length() - 1)
            : vector;
    if (body.startsWith("CVSS:2.0/")) {
      body = body.substring(9);
    }
    Map<String, String> m = metrics(body, V2_BASE, V2_OTHER);
    if (m == null) {
      return Optional.empty();
    }
    Double av = pick(m.get("AV"), "L", 0.395, "A", 0.646, "N", 1.0);
    Double ac = pick(m.get("AC"), "H", 0.35, "M", 0.61, "L", 0.71);
    Double au = pick(m.get("Au"), "M", 0.45, "S", 0.56, "N", 0.704);
    Double c = pick(m.get("C"), "N", 0.0, "P", 0.275, "C", 0.660);
    Double i = pick(m.get("I"), "N", 0.0, "P", 0.275, "C", 0.660);
    Double a = pick(m.get("A"), "N", 0.0, "P", 0.275, "C", 0.660);
    if (av == null || ac == null || au == null || c == null || i == null || a == null) {
      return Optional.empty();
    }
    double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
    double exploitability = 20 * av * ac * au;
    double f = impact == 0 ? 0 : 1.176;
    double score = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
    return Optional.of(BigDecimal.valueOf(score).setScale(1, RoundingMode.HALF_UP).doubleValue());
  }

  /** CVSS v2 qualitative bands (NVD): low below 4.0, medium below 7.0, high otherwise. */
  static Severity.Label v2Rating(double score) {
    return score < 4.0
        ? Severity.Label.LOW
        : score < 7.0 ? Severity.Label.MEDIUM : Severity.Label.HIGH;
  }

  private static Map<String, String> metrics(String body, Set<String> base, Set<String> other) {
    Map<String, String> out = new HashMap<>();
    for (String part : body.split("/", -1)) {
      int colon = part.indexOf(':');
      if (colon <= 0 || colon == part.length() - 1) {
        return null;
      }
      String key = part.substring(0, colon);
      if (!base.contains(key) && !other.contains(key)) {
        return null;
      }
      if (out.put(key, part.substring(colon + 1)) != null) {
        return null;
      }
    }
    return out.keySet().containsAll(base) ? out : null;
  }

  private static Double pick(String value, Object... pairs) {
    for (int k = 0; k < pairs.length; k += 2) {
      if (pairs[k].equals(value)) {
        return (Double) pairs[k + 1];
      }
    }
    return null;
  }
}
