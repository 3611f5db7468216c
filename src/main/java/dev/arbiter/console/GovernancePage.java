// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;

import dev.arbiter.report.EvidenceItem;
import dev.arbiter.report.GovernanceReports;
import dev.arbiter.report.Report;
import dev.arbiter.report.Row;
import dev.arbiter.report.Status;
import java.util.Map;
import java.util.Optional;

/**
 * The governance report of a workload (the rows of the seeds' Governance Expectations Summary, as
 * {@code arbiter governance report} computes them) with a link that downloads its signed evidence
 * bundle; without a workload, the workloads to choose from.
 */
public final class GovernancePage {
  private final GovernanceReports reports;

  public GovernancePage(GovernanceReports reports) {
    this.reports = reports;
  }

  /** The page's main content for {@code workload}, or the list of workloads. */
  public String render(Optional<String> workload) {
    StringBuilder out = new StringBuilder("<h1>Governance</h1>\n");
    if (workload.isEmpty()) {
      out.append(
          "<p>Pick a workload for its report per expectation row.</p>\n<ul id=\"workloads\">");
      for (String name : reports.workloads()) {
        out.append("<li><a href=\"/ui/governance?workload=")
            .append(Html.url(name))
            .append("\">")
            .append(esc(name))
            .append("</a></li>");
      }
      return out.append("</ul>\n").toString();
    }
    Report report =
        reports.report(
            workload.get(),
            GovernanceReports.Range.parse(
                Optional.empty(), Optional.empty(), reports.clock().instant()));
    out.append("<p>Workload <code>")
        .append(esc(report.workload()))
        .append("</code>, ")
        .append(Html.time(report.from()))
        .append(" to ")
        .append(Html.time(report.to()))
        .append(". <a id=\"export\" href=\"/ui/governance/export?workload=")
        .append(Html.url(report.workload()))
        .append("\" download>Download the signed evidence bundle</a> (verify it offline with")
        .append(" <code>arbiter governance verify --bundle FILE</code>).</p>\n");
    out.append(
        "<div class=\"scroll\"><table id=\"governance-rows\"><thead><tr><th scope=\"col\">Row</th>"
            + "<th scope=\"col\">Expectation</th><th scope=\"col\">Status</th>"
            + "<th scope=\"col\">Summary</th><th scope=\"col\">Evidence</th></tr></thead>"
            + "<tbody>\n");
    for (Map.Entry<String, Row> entry : report.expectations().entrySet()) {
      Row row = entry.getValue();
      String css =
          row.status() == Status.MET ? "good" : row.status() == Status.NOT_MET ? "bad" : "";
      out.append("<tr><th scope=\"row\">")
          .append(esc(entry.getKey()))
          .append("</th><td>")
          .append(esc(row.title()))
          .append("</td><td class=\"")
          .append(css)
          .append("\">")
          .append(esc(row.status().label()))
          .append("</td><td>")
          .append(esc(row.summary()));
      if (row.reason() != null) {
        out.append("<br><strong>Why:</strong> ").append(esc(row.reason()));
      }
      out.append("</td><td>").append(row.evidence().size()).append(" item(s)");
      long proven = row.evidence().stream().filter(GovernancePage::logged).count();
      if (proven > 0) {
        out.append(", ").append(proven).append(" with a log inclusion proof");
      }
      out.append("</td></tr>\n");
    }
    return out.append("</tbody></table></div>\n").toString();
  }

  private static boolean logged(EvidenceItem item) {
    return item.leafIndex() != null;
  }
}
