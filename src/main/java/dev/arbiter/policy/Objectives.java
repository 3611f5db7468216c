// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.problem.ProblemException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Control objectives of a workload (fixed form, CONTRACTS.md): {@code {"critical": {"deadline":
 * "PT72H", "on_deadline": "revoke"|"escalate"}, ...}}. Class names are free-form keys (e.g.
 * critical, high, rollout); a deadline is an ISO-8601 duration.
 */
public final class Objectives {
  private static final Set<String> ACTIONS = Set.of("revoke", "escalate");

  private Objectives() {}

  /** Validates and returns a normalized copy; null means none. */
  public static JsonNode parse(JsonNode objectives) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (objectives == null || objectives.isNull()) {
      return out;
    }
    if (!objectives.isObject()) {
      throw invalid("$", "must be an object of class name to {deadline, on_deadline}");
    }
    for (var it = objectives.fields(); it.hasNext(); ) {
      var entry = it.next();
      String field = entry.getKey();
      if (!field.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
        throw invalid(field, "class names are lowercase letters, digits, '_' and '-'");
      }
      JsonNode value = entry.getValue();
      if (!value.isObject()) {
        throw invalid(field, "must be an object {deadline, on_deadline}");
      }
      for (var names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("deadline") && !name.equals("on_deadline")) {
          throw invalid(field + "." + name, "unknown field");
        }
      }
      String deadline = value.path("deadline").asText("");
      try {
        Duration duration = Duration.parse(deadline);
        if (duration.isNegative() || duration.isZero()) {
          throw invalid(field + ".deadline", "must be a positive ISO-8601 duration");
        }
      } catch (DateTimeParseException e) {
        throw invalid(field + ".deadline", "must be an ISO-8601 duration such as PT72H");
      }
      String action = value.path("on_deadline").asText("escalate");
      if (!ACTIONS.contains(action)) {
        throw invalid(field + ".on_deadline", "must be revoke or escalate");
      }
      out.putObject(field).put("deadline", deadline).put("on_deadline", action);
    }
    return out;
  }

  private static ProblemException invalid(String field, String why) {
    return new ProblemException(PolicyProblem.INVALID_OBJECTIVES, field + ": " + why);
  }
}
