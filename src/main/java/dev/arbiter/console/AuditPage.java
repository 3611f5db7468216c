// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static dev.arbiter.console.Html.esc;

import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.store.Database;
import java.util.List;
import java.util.Optional;

/**
 * The audit log: the records (newest page last, paged by sequence number) and the verification
 * status of every chain ({@link IntegrityCheck}, the check behind {@code arbiter audit verify}),
 * loaded as a fragment because it re-verifies everything.
 */
public final class AuditPage {
  /** Records per page. */
  static final int PAGE = 100;

  private final Database database;
  private final KeyRing keyRing;

  /**
   * @param keyRing the pinned service keys that verify records (never the keys in the database)
   */
  public AuditPage(Database database, KeyRing keyRing) {
    this.database = database;
    this.keyRing = keyRing;
  }

  /** The page's main content: records after {@code after} (0: from the start). */
  public String render(long after, Optional<String> target) {
    List<AuditRecord> records = AuditLog.list(database, after, PAGE, target);
    StringBuilder out = new StringBuilder();
    out.append("<h1>Audit</h1>\n");
    out.append(
        "<section id=\"verification\" aria-live=\"polite\" hx-get=\"/ui/audit/verify\""
            + " hx-trigger=\"load\" hx-swap=\"outerHTML\"><h2>Verification</h2>"
            + "<p><a href=\"/ui/audit/verify\">Verify every chain now</a> (policy revisions,"
            + " audit records, transparency log).</p></section>\n");
    out.append("<h2>Records</h2>\n");
    target.ifPresent(t -> out.append("<p>Target: <code>").append(esc(t)).append("</code></p>"));
    if (records.isEmpty()) {
      out.append("<p>No records").append(after > 0 ? " after #" + after : "").append(".</p>\n");
      return out.toString();
    }
    out.append(
        "<div class=\"scroll\"><table id=\"audit-records\"><thead><tr><th scope=\"col\">#</th>"
            + "<th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">Action</th>"
            + "<th scope=\"col\">Target</th><th scope=\"col\">Reason</th>"
            + "<th scope=\"col\">Hash</th></tr></thead><tbody>\n");
    for (AuditRecord record : records) {
      var body = record.body();
      out.append("<tr><th scope=\"row\">")
          .append(record.seq())
          .append("</th><td>")
          .append(Html.time(body.path("at").asText(body.path("created_at").asText())))
          .append("</td><td>")
          .append(esc(body.path("principal").asText()))
          .append("</td><td>")
          .append(esc(body.path("action").asText()))
          .append("</td><td>")
          .append(esc(body.path("target").asText()))
          .append("</td><td>")
          .append(esc(body.path("reason").asText()))
          .append("</td><td>")
          .append(Html.shortHash(record.hash()))
          .append("</td></tr>\n");
    }
    out.append("</tbody></table></div>\n");
    long last = records.get(records.size() - 1).seq();
    out.append("<p>");
    if (after > 0) {
      out.append("<a href=\"/ui/audit\">First records</a> · ");
    }
    if (records.size() == PAGE) {
      out.append("<a href=\"/ui/audit?after=").append(last).append("\">Next records</a>");
    }
    out.append("</p>\n");
    return out.toString();
  }

  /** The verification fragment: every chain re-verified now. */
  public String verification() {
    IntegrityCheck.Report report = IntegrityCheck.run(database, keyRing);
    StringBuilder out = new StringBuilder();
    out.append("<section id=\"verification\" aria-live=\"polite\"><h2>Verification</h2>\n")
        .append(
            report.intact()
                ? "<p class=\"good\" id=\"chain-status\">"
                : "<p class=\"bad\" id=\"chain-status\">")
        .append(report.intact() ? "Intact" : "Broken: " + report.findings().size() + " findings")
        .append("</p>\n<p>")
        .append(report.revisionsChecked())
        .append(" policy revisions, ")
        .append(report.auditRecordsChecked())
        .append(" audit records and ")
        .append(report.leavesChecked())
        .append(" log leaves checked (hash links, signatures, Merkle tree).</p>\n");
    if (!report.intact()) {
      out.append("<ul class=\"findings\">");
      for (IntegrityCheck.Finding finding : report.findings()) {
        out.append("<li>")
            .append(esc(finding.table()))
            .append(" ")
            .append(esc(finding.record()))
            .append(": ")
            .append(esc(finding.problem()))
            .append("</li>");
      }
      out.append("</ul>\n");
    }
    out.append("</section>\n");
    return out.toString();
  }
}
