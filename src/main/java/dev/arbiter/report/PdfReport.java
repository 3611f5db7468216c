// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A paginated A4 PDF of a report (Apache PDFBox): the summary table, the timelines as vector
 * charts, each row's evidence, and the digest that ties the paper copy to its bundle. Text uses the
 * standard Helvetica fonts (WinAnsi), so characters outside Latin-1 print as {@code ?}.
 */
public final class PdfReport {
  private static final float MARGIN = 40;
  private static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

  private final PDDocument document = new PDDocument();
  private PDPageContentStream out;
  private float y;

  private PdfReport() {}

  /** The PDF bytes. */
  public static byte[] render(Report report, String digestLabel, String digest) {
    PdfReport pdf = new PdfReport();
    try {
      return pdf.write(report, digestLabel, digest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] write(Report report, String digestLabel, String digest) throws IOException {
    try (document) {
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle("Governance evidence: " + clean(report.workload()));
      info.setCreator("Arbiter");
      newPage();
      text(BOLD, 16, "Governance evidence: " + report.workload());
      text(
          REGULAR,
          10,
          "Period " + report.from() + " to " + report.to() + ", generated " + report.generatedAt());
      text(REGULAR, 9, digestLabel + ": " + digest);
      gap(8);
      text(BOLD, 12, "Summary");
      for (Map.Entry<String, Row> e : report.expectations().entrySet()) {
        Row row = e.getValue();
        ensure(30);
        float top = y;
        status(row.status());
        text(BOLD, 10, row.title() + ": " + row.status().label());
        paragraph(REGULAR, 9, row.summary(), 20);
        if (row.reason() != null) {
          paragraph(REGULAR, 9, "Why: " + row.reason(), 20);
        }
        out.setStrokingColor(0.75f, 0.75f, 0.75f);
        out.moveTo(MARGIN, y + 2);
        out.lineTo(PDRectangle.A4.getWidth() - MARGIN, y + 2);
        out.stroke();
        if (top < y) {
          y = top;
        }
      }
      gap(8);
      text(BOLD, 12, "Policy revisions and versions over time");
      versionsChart(report);
      for (Timelines.RolloutShares rollout : report.timelines().rollouts()) {
        ensure(150);
        text(
            BOLD,
            11,
            "Fleet share per version during rollout #"
                + rollout.rollout()
                + " to "
                + rollout.to()
                + " ("
                + rollout.state()
                + ")");
        sharesChart(rollout);
      }
      for (Map.Entry<String, Row> e : report.expectations().entrySet()) {
        Row row = e.getValue();
        ensure(60);
        gap(6);
        text(BOLD, 12, row.title() + ": " + row.status().label());
        paragraph(REGULAR, 8, row.expectation(), 0);
        for (EvidenceItem item : row.evidence()) {
          String proof =
              item.leafIndex() == null
                  ? ""
                  : " (log leaf "
                      + item.leafIndex()
                      + (item.proof() == null
                          ? ", no proof yet)"
                          : ", proof to tree size " + item.proof().treeSize() + ")");
          paragraph(REGULAR, 8, "- [" + item.kind() + "] " + item.summary() + proof, 10);
        }
      }
      out.close();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      document.save(bytes);
      return bytes.toByteArray();
    }
  }

  private void newPage() throws IOException {
    if (out != null) {
      out.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    document.addPage(page);
    out = new PDPageContentStream(document, page);
    y = PDRectangle.A4.getHeight() - MARGIN;
  }

  private void ensure(float height) throws IOException {
    if (y - height < MARGIN) {
      newPage();
    }
  }

  private void gap(float height) {
    y -= height;
  }

  private void status(Status status) throws IOException {
    switch (status) {
      case MET -> out.setNonStrokingColor(0.85f, 0.95f, 0.85f);
      case NOT_MET -> out.setNonStrokingColor(0.97f, 0.82f, 0.82f);
      case NOT_APPLICABLE -> out.setNonStrokingColor(0.93f, 0.93f, 0.93f);
    }
    out.addRect(MARGIN - 4, y - 14, 6, 14);
    out.fill();
    out.setNonStrokingColor(0f, 0f, 0f);
  }

  private void text(PDType1Font font, float size, String line) throws IOException {
    paragraph(font, size, line, 0);
  }

  private void paragraph(PDType1Font font, float size, String text, float indent)
      throws IOException {
    float width = PDRectangle.A4.getWidth() - 2 * MARGIN - indent;
    for (String line : wrap(font, size, clean(text), width)) {
      ensure(size + 3);
      y -= size + 3;
      out.beginText();
      out.setFont(font, size);
      out.newLineAtOffset(MARGIN + indent, y);
      out.showText(line);
      out.endText();
    }
  }

  private static List<String> wrap(PDType1Font font, float size, String text, float width)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (font.getStringWidth(candidate) / 1000 * size <= width) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
        line.setLength(0);
      }
      String rest = word;
      while (font.getStringWidth(rest) / 1000 * size > width && rest.length() > 1) {
        int cut = rest.length() - 1;
        while (cut > 1 && font.getStringWidth(rest.substring(0, cut)) / 1000 * size > width) {
          cut--;
        }
        lines.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
      line.append(rest);
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private void versionsChart(Report report) throws IOException {
    Charts.Lanes lanes = Charts.lanes(report.timelines(), report.to());
    float lane = 16;
    float height = lane * Math.max(1, lanes.versions().size()) + 24;
    ensure(height + 10);
    float left = MARGIN + 60;
    float width = PDRectangle.A4.getWidth() - MARGIN - left;
    float top = y - 6;
    out.setStrokingColor(0.6f, 0.6f, 0.6f);
    for (double x : lanes.revisions()) {
      out.moveTo(left + (float) x * width, top);
      out.lineTo(left + (float) x * width, top - height + 16);
      out.stroke();
    }
    int i = 0;
    for (String version : lanes.versions()) {
      float rowY = top - (i + 1) * lane;
      label(REGULAR, 9, version, MARGIN, rowY + 3);
      colour(Charts.colour(lanes.versions(), version));
      for (Charts.Bar bar : lanes.accepted().get(version)) {
        out.addRect(
            left + (float) bar.x0() * width,
            rowY,
            Math.max(1, (float) (bar.x1() - bar.x0()) * width),
            10);
        out.fill();
      }
      out.setNonStrokingColor(0f, 0f, 0f);
      Double first = lanes.firstAttestation().get(version);
      if (first != null) {
        float x = left + first.floatValue() * width;
        out.moveTo(x, rowY);
        out.lineTo(x - 4, rowY - 5);
        out.lineTo(x + 4, rowY - 5);
        out.closePath();
        out.fill();
      }
      i++;
    }
    label(REGULAR, 7, lanes.start(), left, top - height + 6);
    label(REGULAR, 7, lanes.end(), left + width - 80, top - height + 6);
    y = top - height;
    paragraph(
        REGULAR,
        7,
        "Bars: accepted by the policy; grey lines: revisions; triangles: first attestation.",
        0);
  }

  private void sharesChart(Timelines.RolloutShares rollout) throws IOException {
    List<Charts.Column> columns = Charts.columns(rollout);
    TreeSet<String> names = new TreeSet<>();
    columns.forEach(c -> names.addAll(c.shares().keySet()));
    List<String> versions = new ArrayList<>(names);
    float height = 90;
    float width = PDRectangle.A4.getWidth() - 2 * MARGIN - 80;
    float bottom = y - height - 6;
    out.setStrokingColor(0.7f, 0.7f, 0.7f);
    out.addRect(MARGIN, bottom, width, height);
    out.stroke();
    float w = columns.isEmpty() ? width : width / columns.size();
    for (int c = 0; c < columns.size(); c++) {
      float base = bottom;
      for (Map.Entry<String, Double> share : columns.get(c).shares().entrySet()) {
        float h = share.getValue().floatValue() * height;
        colour(Charts.colour(versions, share.getKey()));
        out.addRect(MARGIN + c * w, base, Math.max(1, w - 1), h);
        out.fill();
        base += h;
      }
    }
    out.setNonStrokingColor(0f, 0f, 0f);
    int i = 0;
    for (String version : versions) {
      colour(Charts.colour(versions, version));
      out.addRect(MARGIN + width + 8, bottom + height - 10 - i * 14, 8, 8);
      out.fill();
      out.setNonStrokingColor(0f, 0f, 0f);
      label(REGULAR, 9, version, MARGIN + width + 20, bottom + height - 10 - i * 14);
      i++;
    }
    if (columns.isEmpty()) {
      label(
          REGULAR,
          9,
          "no attestations recorded during the rollout",
          MARGIN + 6,
          bottom + height / 2);
    }
    y = bottom - 6;
  }

  private void colour(String hex) throws IOException {
    int rgb = Integer.parseInt(hex, 16);
    out.setNonStrokingColor(
        ((rgb >> 16) & 0xff) / 255f, ((rgb >> 8) & 0xff) / 255f, (rgb & 0xff) / 255f);
  }

  private void label(PDType1Font font, float size, String text, float x, float atY)
      throws IOException {
    out.beginText();
    out.setFont(font, size);
    out.newLineAtOffset(x, atY);
    out.showText(clean(text));
    out.endText();
  }

  /** Text the standard fonts can encode: printable Latin-1, other characters as {@code ?}. */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '\u2014' || c == '\u2013') {
        out.append('-');
      } else if (c == '\n' || c == '\t') {
        out.append(' ');
      } else if (c < 0x20 || (c > 0x7e && c < 0xa0) || c > 0xff) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
