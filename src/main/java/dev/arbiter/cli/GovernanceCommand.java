// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.report.BundleVerifier;
import dev.arbiter.report.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter governance}: the governance report per expectation row, signed evidence bundles,
 * and their offline verification.
 */
@Command(
    name = "governance",
    mixinStandardHelpOptions = true,
    description = "Governance evidence for auditors: reports, evidence bundles, offline checks.",
    subcommands = {
      GovernanceCommand.ReportCmd.class,
      GovernanceCommand.Export.class,
      GovernanceCommand.Verify.class,
      GovernanceCommand.Schedule.class,
      GovernanceCommand.Schedules.class
    })
final class GovernanceCommand {

  /** {@code --from} / {@code --to} as query parameters. */
  static String range(String workload, String from, String to) {
    List<String> query = new ArrayList<>();
    if (workload != null) {
      query.add("workload=" + ApiClient.encode(workload));
    }
    if (from != null) {
      query.add("from=" + ApiClient.encode(from));
    }
    if (to != null) {
      query.add("to=" + ApiClient.encode(to));
    }
    return query.isEmpty() ? "" : "?" + String.join("&", query);
  }

  static void writeFile(Path file, byte[] bytes) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(parent, ".arbiter-", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CliException.usage(
          "cannot write " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  static Report parseReport(JsonNode body) {
    try {
      return Json.mapper().treeToValue(body, Report.class);
    } catch (IOException e) {
      throw CliException.usage(
          "the server's report is not readable: " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  /** Writes the HTML and PDF renderings asked for. */
  static void render(Report report, Path html, Path pdf, String label, String digest) {
    if (html != null) {
      writeFile(
          html,
          dev.arbiter.report.HtmlReport.render(report, label, digest)
              .getBytes(StandardCharsets.UTF_8));
    }
    if (pdf != null) {
      writeFile(pdf, dev.arbiter.report.PdfReport.render(report, label, digest));
    }
  }

  static void printRows(PrintWriter out, JsonNode report) {
    out.println(
        "workload "
            + report.path("workload").asText()
            + "  "
            + report.path("from").asText()
            + " .. "
            + report.path("to").asText());
    report
        .path("expectations")
        .fields()
        .forEachRemaining(e -> {
          JsonNode row = e.getValue();
          out.printf(
              "%-10s %-15s %s%n",
              e.getKey(), row.path("status").asText(), row.path("summary").asText());
          if (row.hasNonNull("reason")) {
            out.println("           why: " + row.path("reason").asText());
          }
        });
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description =
          "The governance report of a workload: one row per expectation (upgrade-7, 7, 12, 9, 14,"
              + " 15, 1) with status met / not-met / not-applicable, a summary, the reason and the"
              + " evidence with inclusion proofs. Auditor or operator certificate.")
  static final class ReportCmd implements Callable<Integer> {
    @Option(names = "--workload", required = true, description = "The workload.")
    String workload;

    @Option(names = "--from", description = "Start of the range (RFC 3339; default: all history).")
    String from;

    @Option(names = "--to", description = "End of the range (RFC 3339; default: now).")
    String to;

    @Option(
        names = "--html",
        paramLabel = "FILE",
        description = "Also write a self-contained HTML page.")
    Path html;

    @Option(names = "--pdf", paramLabel = "FILE", description = "Also write a PDF.")
    Path pdf;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/governance/report" + range(workload, from, to));
      if (html != null || pdf != null) {
        render(
            parseReport(body),
            html,
            pdf,
            "report SHA-256 (RFC 8785 JSON; export a bundle to tie it to signed evidence)",
            dev.arbiter.internal.Hex.encode(
                dev.arbiter.crypto.Digests.sha256(dev.arbiter.internal.Jcs.canonicalize(body))));
      }
      PrintWriter out = spec.commandLine().getOut();
      Printer.print(out, client.json(), body, report -> printRows(out, report));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Write a signed, self-contained evidence bundle (ZIP) of a workload: the report, the"
              + " records with their inclusion proofs, checkpoints, consistency proofs, keys,"
              + " provenance and SBOMs, and a signed manifest. Check it offline with 'governance"
              + " verify'.")
  static final class Export implements Callable<Integer> {
    @Option(names = "--workload", required = true, description = "The workload.")
    String workload;

    @Option(names = "--out", required = true, description = "The bundle file to write.")
    Path out;

    @Option(names = "--from", description = "Start of the range (RFC 3339; default: all history).")
    String from;

    @Option(names = "--to", description = "End of the range (RFC 3339; default: now).")
    String to;

    @Option(
        names = "--html",
        paramLabel = "FILE",
        description = "Also write the bundle's report as HTML, with the manifest digest.")
    Path html;

    @Option(
        names = "--pdf",
        paramLabel = "FILE",
        description = "Also write the bundle's report as PDF, with the manifest digest.")
    Path pdf;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/governance/export" + range(workload, from, to));
      byte[] zip;
      try {
        zip = Base64.getDecoder().decode(body.path("bundle").asText());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("the server's bundle is not base64");
      }
      writeFile(out, zip);
      if (html != null || pdf != null) {
        try {
          render(
              dev.arbiter.report.EvidenceBundle.readReport(zip),
              html,
              pdf,
              "evidence bundle manifest SHA-256",
              body.path("manifest_sha256").asText());
        } catch (IOException e) {
          throw CliException.usage("the bundle has no readable report");
        }
      }
      PrintWriter printer = spec.commandLine().getOut();
      if (client.json()) {
        var summary = Json.mapper().createObjectNode();
        summary.put("bundle", out.toString());
        summary.put("manifest_sha256", body.path("manifest_sha256").asText());
        summary.put("bytes", zip.length);
        printer.println(Json.writePretty(summary));
      } else {
        printer.println(
            "wrote "
                + out
                + " ("
                + zip.length
                + " bytes); manifest sha256 "
                + body.path("manifest_sha256").asText());
      }
      printer.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Verify an evidence bundle offline (no server, no database): every entry against the"
              + " signed manifest, signatures, hashes, inclusion and consistency proofs, and that"
              + " every row of the report follows from the included records. Exit 0 intact, 1"
              + " anything altered, missing or unprovable (named), 2 usage or I/O.")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--bundle", required = true, description = "The bundle file.")
    Path bundle;

    @Option(
        names = "--trusted-checkpoint",
        paramLabel = "FILE",
        description =
            "A signed checkpoint you witnessed (e.g. kept by 'arbiter log witness'); it must be"
                + " one of the bundle's checkpoints with the same root.")
    Path trustedCheckpoint;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      byte[] zip;
      Optional<String> trusted = Optional.empty();
      try {
        zip = Files.readAllBytes(bundle);
        if (trustedCheckpoint != null) {
          trusted =
              Optional.of(
                  new String(Files.readAllBytes(trustedCheckpoint), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw CliException.usage("cannot read: " + ErrorHandler.oneLine(e.getMessage()));
      }
      BundleVerifier.Result result;
      try {
        result = BundleVerifier.verify(zip, trusted);
      } catch (IOException e) {
        throw CliException.usage(
            bundle + " is not an evidence bundle: " + ErrorHandler.oneLine(e.getMessage()));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.writePretty(result));
      } else {
        if (result.intact()) {
          out.println(
              "intact: "
                  + result.entries()
                  + " entries, "
                  + result.proofsChecked()
                  + " proofs checked; manifest sha256 "
                  + result.manifestSha256());
          result.statuses().forEach((k, v) -> out.printf("%-10s %s%n", k, v));
        } else {
          out.println("NOT intact: " + result.findings().size() + " findings");
          result.findings().forEach(f -> out.println("  " + f));
        }
      }
      out.flush();
      return result.intact() ? ExitCode.OK : ExitCode.REFUSED;
    }
  }

  @Command(
      name = "schedule",
      mixinStandardHelpOptions = true,
      description =
          "Export a workload's evidence bundle periodically (stored in the database, so it survives"
              + " restarts; each run audited as governance.export) into a directory under <data"
              + " dir>/exports on the server. Operator only.")
  static final class Schedule implements Callable<Integer> {
    @Option(names = "--workload", required = true, description = "The workload.")
    String workload;

    @Option(
        names = "--every",
        required = true,
        description = "ISO-8601 period, e.g. P30D (>= PT1M).")
    String every;

    @Option(
        names = "--dir",
        required = true,
        description = "Directory relative to <data dir>/exports on the server, e.g. monthly.")
    String dir;

    @Option(names = "--reason", required = true, description = "Why (audited).")
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var body = new java.util.LinkedHashMap<String, Object>();
      body.put("every", every);
      body.put("directory", dir);
      body.put("reason", reason);
      JsonNode answer =
          client.client().put("/v1/governance/schedules/" + ApiClient.encode(workload), body);
      PrintWriter out = spec.commandLine().getOut();
      Printer.print(
          out,
          client.json(),
          answer,
          s ->
              out.println(
                  "export of "
                      + s.path("workload").asText()
                      + " every "
                      + s.path("every_s").asLong()
                      + " s into exports/"
                      + s.path("directory").asText()
                      + "; next at "
                      + s.path("next_run_at").asText()));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "schedules",
      mixinStandardHelpOptions = true,
      description = "List periodic exports.")
  static final class Schedules implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode answer = client.client().get("/v1/governance/schedules");
      PrintWriter out = spec.commandLine().getOut();
      Printer.print(
          out,
          client.json(),
          answer,
          body ->
              body.path("schedules")
                  .forEach(s ->
                      out.printf(
                          "%-20s every %ds into exports/%s, next %s, last %s%n",
                          s.path("workload").asText(),
                          s.path("every_s").asLong(),
                          s.path("directory").asText(),
                          s.path("next_run_at").asText(),
                          s.path("last_run_at").asText("-"))));
      return ExitCode.OK;
    }
  }
}
