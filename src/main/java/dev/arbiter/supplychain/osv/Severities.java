// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Optional;

/**
 * Chooses one {@link Severity} from an OSV {@code severity[]} list: a computed CVSS v3.x score
 * first, then CVSS v2, then the {@code database_specific.severity} label (GHSA), then a CVSS v4
 * vector (label UNKNOWN, vector kept; not scored), then an Ubuntu priority.
 */
final class Severities {
  private Severities() {}

  /** Null when the list is empty and there is no database label. */
  static Severity choose(
      List<JsonNode> entries, String databaseLabel, String id, List<Problem> notes) {
    Severity v3 = null;
    Severity v2 = null;
    Severity v4 = null;
    Severity ubuntu = null;
    for (JsonNode entry : entries) {
      String type = OsvFields.JSON.text(entry, "type", id + ".severity[]");
      String score = OsvFields.JSON.text(entry, "score", id + ".severity[]");
      if (type == null || score == null) {
        continue;
      }
      switch (type) {
        case "CVSS_V3" -> {
          Optional<Double> base = Cvss.v3(score);
          if (base.isPresent()) {
            v3 =
                v3 != null
                    ? v3
                    : new Severity(Severity.ratingOf(base.get()), base.get(), score, type);
          } else {
            notes.add(
                Problem.of(
                    AdvisoryProblem.ADVISORY_INVALID_SEVERITY,
                    "%s: not a CVSS v3 vector: %s",
                    id,
                    OsvParser.clip(score)));
          }
        }
        case "CVSS_V2" -> {
          Optional<Double> base = Cvss.v2(score);
          if (base.isPresent()) {
            v2 = v2 != null ? v2 : new Severity(Cvss.v2Rating(base.get()), base.get(), score, type);
          } else {
            notes.add(
                Problem.of(
                    AdvisoryProblem.ADVISORY_INVALID_SEVERITY,
                    "%s: not a CVSS v2 vector: %s",
                    id,
                    OsvParser.clip(score)));
          }
        }
        case "CVSS_V4" ->
            v4 = v4 != null ? v4 : new Severity(Severity.Label.UNKNOWN, null, score, type);
        case "Ubuntu" -> ubuntu = new Severity(Severity.labelOf(score), null, null, type);
        default -> {}
      }
    }
    if (v3 != null) {
      return v3;
    }
    if (v2 != null) {
      return v2;
    }
    if (databaseLabel != null && Severity.labelOf(databaseLabel) != Severity.Label.UNKNOWN) {
      return new Severity(
          Severity.labelOf(databaseLabel),
          null,
          v4 == null ? null : v4.vector(),
          "database_specific");
    }
    return v4 != null ? v4 : ubuntu;
  }
}
