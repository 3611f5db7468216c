// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;
import static dev.arbiter.console.Html.url;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Workload;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.rollout.RolloutReports;
import dev.arbiter.supplychain.SupplyChainService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The landing page: every workload with its accepted versions, live instances per version, the
 * rollout's state and progress, open findings by severity, deadlines with time left, and charts of
 * the attestation and failure rates per version over the last hours.
 */
public final class OverviewPage {
  /** How far back the charts reach, and their resolution. */
  static final Duration SPAN = Duration.ofHours(6);

  static final Duration BUCKET = Duration.ofMinutes(10);

  private static final List<String> SEVERITIES =
      List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", "UNKNOWN");

  private final PolicyService policies;
  private final RolloutReports reports;
  private final SupplyChainService supplyChain;
  private final Clock clock;

  public OverviewPage(
      PolicyService policies, RolloutReports reports, SupplyChainService supplyChain, Clock clock) {
    this.policies = policies;
    this.reports = reports;
    this.supplyChain = supplyChain;
    this.clock = clock;
  }

  /** The page's main content. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("<h1>Overview</h1>\n");
    List<Workload> workloads = policies.listWorkloads();
    if (workloads.isEmpty()) {
      out.append(
          "<p>No workloads yet. Create one with <code>arbiter workload create --name"
              + " NAME</code>.</p>");
      return out.toString();
    }
    out.append("<div class=\"cards\">\n");
    for (Workload workload : workloads) {
      card(out, workload);
    }
    out.append("</div>\n");
    return out.toString();
  }

  private void card(StringBuilder out, Workload workload) {
    String name = workload.name();
    String link = "/ui/workloads/" + url(name);
    RolloutReports.Status status = reports.status(name);
    List<String> accepted = accepted(name);
    out.append("<section class=\"card\" aria-labelledby=\"w-")
        .append(esc(url(name)))
        .append("\">\n<h2 id=\"w-")
        .append(esc(url(name)))
        .append("\"><a href=\"")
        .append(esc(link))
        .append("\">")
        .append(esc(name))
        .append("</a></h2>\n");
    // accepted versions and live instances
    out.append("<div class=\"scroll\"><table class=\"compact\"><caption>Versions</caption>\n")
        .append(
            "<thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Accepted</th><th"
                + " scope=\"col\">Live</th><th scope=\"col\">Failing</th></tr></thead><tbody>\n");
    Map<String, RolloutReports.VersionCount> live = new TreeMap<>(status.fleet().versions());
    java.util.Set<String> labels = new java.util.TreeSet<>(accepted);
    labels.addAll(live.keySet());
    for (String label : labels) {
      RolloutReports.VersionCount count =
          live.getOrDefault(label, new RolloutReports.VersionCount(0, 0));
      out.append("<tr><th scope=\"row\">")
          .append(esc(label))
          .append("</th><td>")
          .append(accepted.contains(label) ? "yes" : "no")
          .append("</td><td>")
          .append(count.live())
          .append("</td><td>")
          .append(count.failed())
          .append("</td></tr>\n");
    }
    if (labels.isEmpty()) {
      out.append("<tr><td colspan=\"4\">no accepted versions, no live instances</td></tr>\n");
    }
    out.append("</tbody></table></div>\n<p class=\"muted\">")
        .append(status.fleet().total())
        .append(" live instances (attested within ")
        .append(esc(Html.duration(status.fleet().liveWindowS())))
        .append(")</p>\n");
    rollout(out, name, status);
    findings(out, name, accepted);
    deadlines(out, status);
    charts(out, name);
    out.append("</section>\n");
  }

  private List<String> accepted(String workload) {
    try {
      return policies.current(workload).acceptedLabels();
    } catch (ProblemException e) {
      return List.of(); // no revision yet
    }
  }

  private static void rollout(StringBuilder out, String name, RolloutReports.Status status) {
    RolloutReports.RolloutView rollout = status.rollout();
    out.append("<h3>Rollout</h3>\n");
    if (rollout == null) {
      out.append("<p>No rollout yet.</p>\n");
      return;
    }
    double share = status.share() == null ? 0 : status.share();
    out.append("<p><a href=\"/ui/workloads/")
        .append(esc(url(name)))
        .append("/rollout\">#")
        .append(rollout.id())
        .append(" to ")
        .append(esc(rollout.to()))
        .append("</a>: <span class=\"state state-")
        .append(esc(rollout.state().toLowerCase(java.util.Locale.ROOT)))
        .append("\">")
        .append(esc(rollout.state()))
        .append("</span></p>\n");
    if (RolloutPage.isActive(rollout)) {
      String id = "share-" + esc(url(name));
      out.append("<p><label for=\"")
          .append(id)
          .append("\">Fleet share of ")
          .append(esc(rollout.to()))
          .append(": ")
          .append(Html.percent(share))
          .append(" (target ")
          .append(Html.percent(rollout.minFleetShare()))
          .append(")</label><br><progress id=\"")
          .append(id)
          .append("\" max=\"1\" value=\"")
          .append(share)
          .append("\">")
          .append(Html.percent(share))
          .append("</progress></p>\n");
    }
  }

  private void findings(StringBuilder out, String name, List<String> accepted) {
    JsonNode report = Json.mapper().valueToTree(supplyChain.status(name));
    Map<String, Integer> bySeverity = new TreeMap<>();
    for (String label : accepted) {
      for (JsonNode finding : report.path("findings").path(label)) {
        bySeverity.merge(finding.path("severity").asText("UNKNOWN"), 1, Integer::sum);
      }
    }
    out.append("<h3>Open findings</h3>\n");
    if (bySeverity.isEmpty()) {
      out.append("<p>None in the accepted versions.</p>\n");
      return;
    }
    out.append("<ul class=\"severities\">");
    for (String severity : SEVERITIES) {
      Integer count = bySeverity.get(severity);
      if (count != null) {
        out.append("<li class=\"sev sev-")
            .append(esc(severity.toLowerCase(java.util.Locale.ROOT)))
            .append("\">")
            .append(esc(severity))
            .append(": ")
            .append(count)
            .append("</li>");
      }
    }
    out.append("</ul>\n");
  }

  private void deadlines(StringBuilder out, RolloutReports.Status status) {
    List<RolloutReports.Obligation> open =
        status.obligations().stream().filter(o -> o.state().equals("open")).toList();
    out.append("<h3>Deadlines</h3>\n");
    if (open.isEmpty()) {
      out.append("<p>No open deadlines.</p>\n");
      return;
    }
    Instant now = clock.instant();
    out.append("<ul class=\"deadlines\">");
    for (RolloutReports.Obligation obligation : open) {
      long left = Duration.between(now, Instant.parse(obligation.dueAt())).toSeconds();
      out.append("<li>")
          .append(esc(obligation.kind()))
          .append(" of ")
          .append(esc(obligation.version()))
          .append(" (")
          .append(esc(obligation.objectiveClass()))
          .append(", then ")
          .append(esc(obligation.action()))
          .append("): due ")
          .append(Html.time(obligation.dueAt()))
          .append(", <strong>")
          .append(esc(left >= 0 ? Html.duration(left) + " left" : Html.duration(left)))
          .append("</strong></li>");
    }
    out.append("</ul>\n");
  }

  private void charts(StringBuilder out, String name) {
    Map<String, List<RolloutReports.RateBucket>> rates =
        reports.attestationRates(name, SPAN, BUCKET);
    out.append("<h3>Last ").append(SPAN.toHours()).append(" hours</h3>\n");
    if (rates.isEmpty()) {
      out.append("<p>No attestations in the last ").append(SPAN.toHours()).append(" hours.</p>\n");
      return;
    }
    long bucket = BUCKET.toSeconds();
    long end = clock.instant().getEpochSecond() / bucket * bucket;
    long start = end - SPAN.toSeconds() + bucket;
    int points = (int) ((end - start) / bucket) + 1;
    ObjectNode rate = Json.mapper().createObjectNode();
    ObjectNode failure = Json.mapper().createObjectNode();
    ArrayNode x = rate.putArray("x");
    for (int i = 0; i < points; i++) {
      x.add(start + i * bucket);
    }
    failure.set("x", x.deepCopy());
    ArrayNode rateSeries = rate.putArray("series");
    ArrayNode failureSeries = failure.putArray("series");
    StringBuilder summary = new StringBuilder();
    for (Map.Entry<String, List<RolloutReports.RateBucket>> entry : rates.entrySet()) {
      double[] perMinute = new double[points];
      Double[] failed = new Double[points];
      long total = 0;
      long failures = 0;
      for (RolloutReports.RateBucket b : entry.getValue()) {
        int i = (int) ((Instant.parse(b.start()).getEpochSecond() - start) / bucket);
        if (i >= 0 && i < points) {
          perMinute[i] = b.total() / (bucket / 60.0);
          failed[i] = b.total() == 0 ? null : 100.0 * b.failed() / b.total();
        }
        total += b.total();
        failures += b.failed();
      }
      ObjectNode series = rateSeries.addObject().put("label", entry.getKey());
      ArrayNode values = series.putArray("values");
      for (double value : perMinute) {
        values.add(Math.round(value * 100) / 100.0);
      }
      ObjectNode fseries = failureSeries.addObject().put("label", entry.getKey());
      ArrayNode fvalues = fseries.putArray("values");
      for (Double value : failed) {
        if (value == null) {
          fvalues.addNull();
        } else {
          fvalues.add(Math.round(value * 10) / 10.0);
        }
      }
      summary
          .append("<li>")
          .append(esc(entry.getKey()))
          .append(": ")
          .append(total)
          .append(" attestations, ")
          .append(failures)
          .append(" failed</li>");
    }
    rate.put("unit", "attestations per minute");
    failure.put("unit", "failure rate (%)");
    out.append("<div class=\"charts\">\n");
    chart(out, "Attestations per minute, per version", rate);
    chart(out, "Failure rate (%), per version", failure);
    out.append("</div>\n<ul class=\"chart-summary\">").append(summary).append("</ul>\n");
  }

  private static void chart(StringBuilder out, String title, ObjectNode data) {
    out.append("<figure class=\"chart\"><figcaption>")
        .append(esc(title))
        .append("</figcaption><div class=\"plot\" role=\"img\" aria-label=\"")
        .append(esc(title))
        .append("\" data-chart=\"")
        .append(esc(Json.write(data)))
        .append("\"></div></figure>\n");
  }
}
