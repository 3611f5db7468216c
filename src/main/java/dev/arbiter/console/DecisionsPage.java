// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;
import static dev.arbiter.console.Html.url;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.tlog.LogStore;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Search of the attestation decisions as the transparency log recorded them (the decision leaves:
 * workload, instance, matched version, verdict, reasons, EAR id), newest first, by workload,
 * instance, version, verdict and time.
 */
public final class DecisionsPage {
  /** Rows per page. */
  static final int PAGE = 50;

  private static final List<String> VERDICTS = List.of("affirming", "warning", "refused");

  private final LogStore log;

  public DecisionsPage(LogStore log) {
    this.log = log;
  }

  /** The page's main content for the search {@code params} (absent fields: any). */
  public String render(Map<String, String> params) {
    LogStore.DecisionQuery query =
        new LogStore.DecisionQuery(
            field(params, "workload"),
            field(params, "instance"),
            field(params, "version"),
            field(params, "verdict"),
            field(params, "from").map(value -> instant("from", value)),
            field(params, "to").map(value -> instant("to", value)),
            field(params, "before").map(DecisionsPage::index));
    query
        .verdict()
        .ifPresent(verdict -> {
          if (!VERDICTS.contains(verdict)) {
            throw new ProblemException(
                CommonProblem.INVALID_FIELD,
                "verdict must be one of " + String.join(", ", VERDICTS));
          }
        });
    List<LogStore.LoggedLeaf> leaves = log.decisions(query, PAGE);
    StringBuilder out = new StringBuilder();
    out.append("<h1>Decisions</h1>\n");
    form(out, params);
    out.append("<p role=\"status\">")
        .append(leaves.size())
        .append(leaves.size() == PAGE ? "+" : "")
        .append(" decisions, newest first.</p>\n");
    if (!leaves.isEmpty()) {
      out.append(
          "<div class=\"scroll\"><table id=\"decisions\"><thead><tr><th scope=\"col\">Time</th>"
              + "<th scope=\"col\">Workload</th><th scope=\"col\">Instance</th>"
              + "<th scope=\"col\">Version</th><th scope=\"col\">Verdict</th>"
              + "<th scope=\"col\">Reasons</th><th scope=\"col\">Log leaf</th></tr></thead>"
              + "<tbody>\n");
      for (LogStore.LoggedLeaf leaf : leaves) {
        row(out, leaf);
      }
      out.append("</tbody></table></div>\n");
    }
    if (leaves.size() == PAGE) {
      StringBuilder next = new StringBuilder("/ui/decisions?");
      params.forEach((name, value) -> {
        if (!name.equals("before")) {
          next.append(url(name)).append('=').append(url(value)).append('&');
        }
      });
      next.append("before=").append(leaves.get(leaves.size() - 1).index());
      out.append("<p><a href=\"").append(esc(next)).append("\">Older decisions</a></p>\n");
    }
    return out.toString();
  }

  private static void row(StringBuilder out, LogStore.LoggedLeaf leaf) {
    JsonNode body = leafBody(leaf);
    String verdict = body.path("verdict").asText();
    out.append("<tr><td>")
        .append(Html.time(body.path("time").asText()))
        .append("</td><td><a href=\"/ui/workloads/")
        .append(esc(url(body.path("workload").asText())))
        .append("\">")
        .append(esc(body.path("workload").asText()))
        .append("</a></td><td>")
        .append(esc(body.path("instance_id").asText()))
        .append("</td><td>")
        .append(esc(body.path("matched_version").asText("(none)")))
        .append("</td><td><span class=\"verdict verdict-")
        .append(esc(verdict))
        .append("\">")
        .append(esc(verdict))
        .append("</span></td><td>");
    if (body.path("reasons").isEmpty()) {
      out.append("—");
    } else {
      out.append("<ul class=\"reasons\">");
      for (JsonNode reason : body.path("reasons")) {
        out.append("<li>").append(esc(reason.asText())).append("</li>");
      }
      out.append("</ul>");
    }
    out.append("</td><td>#").append(leaf.index()).append("</td></tr>\n");
  }

  private static JsonNode leafBody(LogStore.LoggedLeaf leaf) {
    try {
      return dev.arbiter.internal.Json.readTree(leaf.leafText()).path("body");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void form(StringBuilder out, Map<String, String> params) {
    out.append("<form method=\"get\" action=\"/ui/decisions\" class=\"search\" role=\"search\">")
        .append("<fieldset><legend>Search</legend>\n");
    input(out, params, "workload", "Workload", "text");
    input(out, params, "instance", "Instance", "text");
    input(out, params, "version", "Version", "text");
    out.append("<p><label for=\"q-verdict\">Verdict</label> <select id=\"q-verdict\"")
        .append(" name=\"verdict\"><option value=\"\">any</option>");
    for (String verdict : VERDICTS) {
      out.append("<option")
          .append(verdict.equals(params.get("verdict")) ? " selected" : "")
          .append('>')
          .append(verdict)
          .append("</option>");
    }
    out.append("</select></p>\n");
    input(out, params, "from", "From (UTC)", "datetime-local");
    input(out, params, "to", "To (UTC)", "datetime-local");
    out.append("<p><button type=\"submit\">Search</button> <a href=\"/ui/decisions\">Clear</a></p>")
        .append("</fieldset></form>\n");
  }

  private static void input(
      StringBuilder out, Map<String, String> params, String name, String label, String type) {
    out.append("<p><label for=\"q-")
        .append(name)
        .append("\">")
        .append(label)
        .append("</label> <input id=\"q-")
        .append(name)
        .append("\" name=\"")
        .append(name)
        .append("\" type=\"")
        .append(type)
        .append("\"")
        .append(type.equals("datetime-local") ? " step=\"1\"" : "")
        .append(" value=\"")
        .append(esc(params.getOrDefault(name, "")))
        .append("\"></p>\n");
  }

  private static Optional<String> field(Map<String, String> params, String name) {
    return Optional.ofNullable(params.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** An RFC 3339 instant, or a {@code datetime-local} value taken as UTC. */
  static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw new ProblemException(
            CommonProblem.INVALID_FIELD,
            field + " must be a time such as 2026-01-31T12:00:00Z or 2026-01-31T12:00");
      }
    }
  }

  private static long index(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, "before must be a leaf index");
    }
  }
}
