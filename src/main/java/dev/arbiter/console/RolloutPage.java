// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;
import static dev.arbiter.console.Html.url;

import dev.arbiter.auth.Principal;
import dev.arbiter.rollout.RolloutEvent;
import dev.arbiter.rollout.RolloutReports;
import dev.arbiter.rollout.RolloutService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workload's latest rollout: live progress (a fragment htmx re-fetches every few seconds) of the
 * fleet share per version, the failure rate against the auto-abort threshold, the replicas serving
 * the staged revision and the deadline; the timeline; and, for operators and pipelines while the
 * rollout is active, the complete and abort forms (reason and confirmation required).
 */
public final class RolloutPage {
  /** How often the live fragment refreshes. */
  static final String POLL = "every 3s";

  private final RolloutReports reports;
  private final RolloutService rollouts;

  public RolloutPage(RolloutReports reports, RolloutService rollouts) {
    this.reports = reports;
    this.rollouts = rollouts;
  }

  static boolean isActive(RolloutReports.RolloutView rollout) {
    return rollout != null
        && (rollout.state().equals("PLANNED")
            || rollout.state().equals("STAGED")
            || rollout.state().equals("ROLLING"));
  }

  /** The page's main content; {@code notice} is shown first (e.g. the outcome of an action). */
  public String render(String workload, Principal who, String csrfToken, Optional<String> notice) {
    RolloutReports.Status status = reports.status(workload);
    StringBuilder out = new StringBuilder();
    out.append("<p class=\"crumbs\"><a href=\"/ui/workloads/")
        .append(esc(url(workload)))
        .append("\">")
        .append(esc(workload))
        .append("</a> ›</p>\n<h1>Rollout of ")
        .append(esc(workload))
        .append("</h1>\n");
    notice.ifPresent(text ->
        out.append("<p class=\"notice\" role=\"status\">").append(esc(text)).append("</p>\n"));
    RolloutReports.RolloutView rollout = status.rollout();
    if (rollout == null) {
      out.append("<p>No rollout yet. Start one with <code>arbiter rollout start --workload ")
          .append(esc(workload))
          .append(" --to VERSION</code>.</p>\n");
      return out.toString();
    }
    out.append(live(workload, status));
    if (isActive(rollout)) {
      if (Layout.mayAct(who)) {
        actions(out, workload, csrfToken);
      } else {
        out.append(
            "<p class=\"muted\">Your role (auditor) may watch this rollout but not change"
                + " it.</p>\n");
      }
    }
    timeline(out, rolloutsEvents(rollout.id()));
    return out.toString();
  }

  private List<RolloutEvent> rolloutsEvents(long id) {
    return rollouts.events(id);
  }

  /** The live fragment alone (what the poll fetches). */
  public String live(String workload) {
    return live(workload, reports.status(workload));
  }

  private static String live(String workload, RolloutReports.Status status) {
    RolloutReports.RolloutView rollout = status.rollout();
    StringBuilder out = new StringBuilder();
    out.append("<section id=\"live\" class=\"live\" aria-labelledby=\"live-title\"");
    if (isActive(rollout)) {
      out.append(" hx-get=\"/ui/workloads/")
          .append(esc(url(workload)))
          .append("/rollout/live\" hx-trigger=\"")
          .append(POLL)
          .append("\" hx-swap=\"outerHTML\"");
    }
    out.append(">\n<h2 id=\"live-title\">Rollout #")
        .append(rollout.id())
        .append(": <span class=\"state state-")
        .append(esc(rollout.state().toLowerCase(java.util.Locale.ROOT)))
        .append("\" id=\"rollout-state\">")
        .append(esc(rollout.state()))
        .append("</span></h2>\n<dl class=\"facts\">")
        .append("<dt>From</dt><dd>")
        .append(
            esc(
                rollout.from().isEmpty()
                    ? "(first deployment)"
                    : String.join(", ", rollout.from())))
        .append("</dd><dt>To</dt><dd>")
        .append(esc(rollout.to()))
        .append("</dd><dt>Started</dt><dd>")
        .append(Html.time(rollout.createdAt()))
        .append(" by ")
        .append(esc(rollout.createdBy()))
        .append("</dd><dt>Reason</dt><dd>")
        .append(esc(rollout.reason()))
        .append("</dd><dt>Deadline</dt><dd>");
    if (rollout.deadline() == null) {
      out.append("none");
    } else {
      out.append(Html.time(rollout.deadline()))
          .append(" (")
          .append(esc(rollout.objective()))
          .append(", then ")
          .append(esc(rollout.onDeadline()))
          .append(")");
      if (isActive(rollout) && rollout.deadlineLeftS() != null) {
        out.append(": <strong>")
            .append(esc(Html.duration(rollout.deadlineLeftS())))
            .append(" left</strong>");
      }
    }
    out.append("</dd></dl>\n");
    // fleet share per version
    RolloutReports.Fleet fleet = status.fleet();
    out.append("<h3>Fleet share per version</h3>\n<table><caption>")
        .append(fleet.total())
        .append(" live instances as of ")
        .append(Html.time(fleet.asOf()))
        .append("; target share for ")
        .append(esc(rollout.to()))
        .append(": ")
        .append(Html.percent(rollout.minFleetShare()))
        .append(
            "</caption><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Live</th><th"
                + " scope=\"col\">Failing</th><th scope=\"col\">Share</th></tr></thead><tbody>\n");
    if (fleet.versions().isEmpty()) {
      out.append("<tr><td colspan=\"4\">no live instances</td></tr>\n");
    }
    for (Map.Entry<String, RolloutReports.VersionCount> entry : fleet.versions().entrySet()) {
      double share = fleet.total() == 0 ? 0 : entry.getValue().live() / (double) fleet.total();
      out.append("<tr><th scope=\"row\">")
          .append(esc(entry.getKey()))
          .append("</th><td>")
          .append(entry.getValue().live())
          .append("</td><td>")
          .append(entry.getValue().failed())
          .append("</td><td><progress max=\"1\" value=\"")
          .append(share)
          .append("\" aria-label=\"share of ")
          .append(esc(entry.getKey()))
          .append("\">")
          .append(Html.percent(share))
          .append("</progress> ")
          .append(Html.percent(share))
          .append("</td></tr>\n");
    }
    out.append("</tbody></table>\n");
    // failure rate against the auto-abort threshold
    out.append("<h3>Failure rate</h3>\n");
    if (status.failures() == null || status.failures().isEmpty()) {
      out.append("<p>No attestations in the failure window yet.</p>\n");
    } else {
      out.append("<ul class=\"failures\">");
      for (Map.Entry<String, RolloutReports.FailureWindow> entry : status.failures().entrySet()) {
        RolloutReports.FailureWindow window = entry.getValue();
        double max = Math.max(Math.max(rollout.maxFailureRate() * 2, window.rate()), 0.01);
        out.append("<li>")
            .append(esc(entry.getKey()))
            .append(": <meter min=\"0\" max=\"")
            .append(max)
            .append("\" high=\"")
            .append(rollout.maxFailureRate())
            .append("\" optimum=\"0\" value=\"")
            .append(window.rate())
            .append("\">")
            .append(Html.percent(window.rate()))
            .append("</meter> ")
            .append(Html.percent(window.rate()))
            .append(" (")
            .append(window.failed())
            .append(" of ")
            .append(window.total())
            .append(" in the last ")
            .append(esc(Html.duration(window.windowS())))
            .append("; auto-abort above ")
            .append(Html.percent(rollout.maxFailureRate()))
            .append(" with at least ")
            .append(rollout.minSamples())
            .append(" samples)</li>");
      }
      out.append("</ul>\n");
    }
    // replicas serving the staged revision
    out.append("<h3>Replicas</h3>\n");
    List<RolloutReports.Replica> replicas =
        status.replicas() == null ? List.of() : status.replicas();
    long serving = replicas.stream().filter(RolloutReports.Replica::servesStaged).count();
    out.append("<p>")
        .append(serving)
        .append(" of ")
        .append(replicas.size())
        .append(" replicas serve the staged revision ")
        .append(Html.shortHash(rollout.stagedRevision()))
        .append(".</p>\n<ul class=\"replicas\">");
    for (RolloutReports.Replica replica : replicas) {
      out.append("<li>")
          .append(esc(replica.id()))
          .append(": revision #")
          .append(replica.servingSeq())
          .append(replica.servesStaged() ? " (staged)" : " (not yet)")
          .append(", seen ")
          .append(Html.time(replica.seenAt()))
          .append("</li>");
    }
    out.append("</ul>\n</section>\n");
    return out.toString();
  }

  private static void actions(StringBuilder out, String workload, String csrfToken) {
    out.append("<section class=\"actions\" aria-labelledby=\"actions-title\">\n")
        .append("<h2 id=\"actions-title\">Actions</h2>\n");
    form(
        out,
        workload,
        csrfToken,
        "complete",
        "Complete the rollout",
        "I confirm: remove the old versions from the policy.",
        "Complete rollout");
    form(
        out,
        workload,
        csrfToken,
        "abort",
        "Abort the rollout",
        "I confirm: remove the new version and restore the old ones.",
        "Abort rollout");
    out.append("</section>\n");
  }

  private static void form(
      StringBuilder out,
      String workload,
      String csrfToken,
      String action,
      String legend,
      String confirmation,
      String button) {
    out.append("<form method=\"post\" class=\"action\" action=\"/ui/workloads/")
        .append(esc(url(workload)))
        .append("/rollout/")
        .append(action)
        .append("\">\n<input type=\"hidden\" name=\"")
        .append(Csrf.FIELD)
        .append("\" value=\"")
        .append(esc(csrfToken))
        .append("\">\n<fieldset><legend>")
        .append(esc(legend))
        .append("</legend>\n<label for=\"")
        .append(action)
        .append("-reason\">Reason (required, recorded in the audit log)</label>\n<textarea id=\"")
        .append(action)
        .append("-reason\" name=\"reason\" required maxlength=\"1000\" rows=\"2\"></textarea>\n")
        .append("<label class=\"check\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\"")
        .append(" required id=\"")
        .append(action)
        .append("-confirm\"> ")
        .append(esc(confirmation))
        .append("</label>\n<button type=\"submit\" id=\"")
        .append(action)
        .append("-button\" class=\"")
        .append(action.equals("abort") ? "danger" : "primary")
        .append("\">")
        .append(esc(button))
        .append("</button>\n</fieldset>\n</form>\n");
  }

  static void timeline(StringBuilder out, List<RolloutEvent> events) {
    out.append("<h2>Timeline</h2>\n<ol class=\"timeline\">");
    for (RolloutEvent event : events) {
      out.append("<li>")
          .append(Html.time(event.at()))
          .append(": ")
          .append(esc(event.fromState() == null ? "" : event.fromState() + " → "))
          .append("<strong>")
          .append(esc(event.toState()))
          .append("</strong>");
      if (event.principal() != null) {
        out.append(" by ").append(esc(event.principal()));
      }
      if (event.reason() != null && !event.reason().isEmpty()) {
        out.append(": ").append(esc(event.reason()));
      }
      if (event.revision() != null) {
        out.append(" (revision ").append(Html.shortHash(event.revision())).append(')');
      }
      out.append("</li>");
    }
    out.append("</ol>\n");
  }
}
