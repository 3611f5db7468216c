// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A self-contained HTML page of a report (inline CSS and SVG, no scripts, nothing loaded from the
 * network): the summary table, the timelines as charts, then each row's evidence, and the digest
 * that ties the page to its bundle (the manifest's SHA-256) or to the report JSON.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * @param digestLabel what {@code digest} is, e.g. "evidence bundle manifest SHA-256"
   */
  public static String render(Report report, String digestLabel, String digest) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    h.append(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src"
            + " 'unsafe-inline'\">\n");
    h.append("<title>Governance evidence: ").append(esc(report.workload())).append("</title>\n");
    h.append(
        "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em"
            + " 0}td,th{border:1px solid #bbb;padding:4px 8px;"
            + "text-align:left;vertical-align:top}.met{background:#d9f2d9}.not-met{background:#f8d0d0}"
            + ".not-applicable{background:#eee}code{font-size:90%;word-break:break-all}li{margin:2px"
            + " 0}.why{color:#a00}</style>\n"
            + "</head><body>\n");
    h.append("<h1>Governance evidence: ").append(esc(report.workload())).append("</h1>\n");
    h.append("<p>Period ").append(esc(report.from())).append(" to ").append(esc(report.to()));
    h.append(", generated ").append(esc(report.generatedAt())).append(".</p>\n");
    h.append("<p>")
        .append(esc(digestLabel))
        .append(": <code>")
        .append(esc(digest))
        .append("</code></p>\n");
    h.append(
        "<h2>Summary</h2>\n"
            + "<table><tr><th>Row</th><th>Expectation</th><th>Status</th><th>Summary</th></tr>\n");
    for (Map.Entry<String, Row> e : report.expectations().entrySet()) {
      Row row = e.getValue();
      h.append("<tr class=\"")
          .append(row.status().label())
          .append("\"><td>")
          .append(esc(row.title()));
      h.append("</td><td>").append(esc(row.expectation())).append("</td><td><b>");
      h.append(row.status().label()).append("</b></td><td>").append(esc(row.summary()));
      if (row.reason() != null) {
        h.append("<div class=\"why\">Why: ").append(esc(row.reason())).append("</div>");
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Timelines</h2>\n<h3>Policy revisions and versions over time</h3>\n");
    h.append(versionsSvg(report));
    for (Timelines.RolloutShares rollout : report.timelines().rollouts()) {
      h.append("<h3>Fleet share per version during rollout #").append(rollout.rollout());
      h.append(" to ")
          .append(esc(String.valueOf(rollout.to())))
          .append(" (")
          .append(esc(String.valueOf(rollout.state())));
      h.append(")</h3>\n").append(sharesSvg(rollout));
    }
    h.append("<h2>Evidence per row</h2>\n");
    for (Map.Entry<String, Row> e : report.expectations().entrySet()) {
      Row row = e.getValue();
      h.append("<h3>")
          .append(esc(row.title()))
          .append(": ")
          .append(row.status().label())
          .append("</h3>\n<ul>\n");
      for (EvidenceItem item : row.evidence()) {
        h.append("<li>[").append(esc(item.kind())).append("] ").append(esc(item.summary()));
        if (item.leafIndex() != null) {
          h.append(" <small>(log leaf ").append(item.leafIndex());
          h.append(
              item.proof() == null
                  ? ", no proof yet"
                  : ", inclusion proof in tree of size " + item.proof().treeSize());
          h.append(")</small>");
        }
        h.append("</li>\n");
      }
      h.append("</ul>\n");
    }
    if (report.checkpoint() != null) {
      h.append("<h2>Checkpoint</h2>\n<pre>").append(esc(report.checkpoint())).append("</pre>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String versionsSvg(Report report) {
    Charts.Lanes lanes = Charts.lanes(report.timelines(), report.to());
    int left = 90;
    int width = 600;
    int lane = 22;
    int height = 30 + lane * Math.max(1, lanes.versions().size()) + 20;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            left + width + 10,
            height));
    s.append("<title>Versions accepted by the policy over time</title>");
    for (double x : lanes.revisions()) {
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\""
                  + " stroke-dasharray=\"2,2\"/>",
              left + x * width,
              left + x * width,
              height - 20));
    }
    int i = 0;
    for (String version : lanes.versions()) {
      int y = 20 + i * lane;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"4\" y=\"%d\" font-size=\"12\">%s</text>",
              y + 12,
              esc(version)));
      for (Charts.Bar bar : lanes.accepted().get(version)) {
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"#%s\"/>",
                left + bar.x0() * width,
                y,
                Math.max(1, (bar.x1() - bar.x0()) * width),
                Charts.colour(lanes.versions(), version)));
      }
      Double first = lanes.firstAttestation().get(version);
      if (first != null) {
        double x = left + first * width;
        s.append(
            String.format(
                Locale.ROOT,
                "<polygon points=\"%.1f,%d %.1f,%d %.1f,%d\" fill=\"#000\"><title>first"
                    + " attestation</title></polygon>",
                x,
                y + 14,
                x - 5,
                y + 20,
                x + 5,
                y + 20));
      }
      i++;
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>",
            left,
            height - 4,
            esc(lanes.start())));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>",
            left + width,
            height - 4,
            esc(lanes.end())));
    s.append(
        "</svg>\n"
            + "<p><small>Bars: accepted by the policy; dashed lines: revisions; triangles: first"
            + " attestation.</small></p>\n");
    return s.toString();
  }

  private static String sharesSvg(Timelines.RolloutShares rollout) {
    List<Charts.Column> columns = Charts.columns(rollout);
    TreeSet<String> names = new TreeSet<>();
    columns.forEach(c -> names.addAll(c.shares().keySet()));
    List<String> versions = new ArrayList<>(names);
    int width = 600;
    int height = 120;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            width + 100,
            height + 20));
    s.append("<title>Fleet share per version</title>");
    s.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>",
            width,
            height));
    double w = columns.isEmpty() ? width : (double) width / columns.size();
    for (int c = 0; c < columns.size(); c++) {
      double y = height;
      for (Map.Entry<String, Double> share : columns.get(c).shares().entrySet()) {
        double h = share.getValue() * height;
        y -= h;
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#%s\"><title>%s"
                    + " %s: %.0f%%</title></rect>",
                c * w,
                y,
                Math.max(1, w - 1),
                h,
                Charts.colour(versions, share.getKey()),
                esc(columns.get(c).at()),
                esc(share.getKey()),
                share.getValue() * 100));
      }
    }
    int i = 0;
    for (String version : versions) {
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#%s\"/><text x=\"%d\""
                  + " y=\"%d\" font-size=\"12\">%s</text>",
              width + 8,
              5 + i * 16,
              Charts.colour(versions, version),
              width + 22,
              14 + i * 16,
              esc(version)));
      i++;
    }
    if (columns.isEmpty()) {
      s.append(
          "<text x=\"10\" y=\"60\" font-size=\"12\">no attestations recorded during the"
              + " rollout</text>");
    }
    s.append("</svg>\n");
    return s.toString();
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
