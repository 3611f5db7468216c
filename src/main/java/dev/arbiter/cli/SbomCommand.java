// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.osv.AdvisoryIndex;
import dev.arbiter.supplychain.osv.Finding;
import dev.arbiter.supplychain.osv.OsvLoader;
import dev.arbiter.supplychain.osv.ScanResult;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.sbom.Sbom;
import dev.arbiter.supplychain.sbom.SbomParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter sbom scan}: offline SBOM x OSV matching (contract in CONTRACTS.md). */
@Command(
    name = "sbom",
    mixinStandardHelpOptions = true,
    description = "Inspect SBOMs offline.",
    subcommands = {SbomCommand.Scan.class})
final class SbomCommand {

  @Command(
      name = "scan",
      mixinStandardHelpOptions = true,
      description =
          "Match an SBOM's components against OSV advisories; exit 0 no findings, 1 findings, 2"
              + " usage or I/O error.")
  static final class Scan implements Callable<Integer> {
    @Option(
        names = "--sbom",
        required = true,
        description =
            "CycloneDX 1.2-1.6 or SPDX 2.2/2.3 JSON, or an in-toto Statement with an SBOM"
                + " predicate.")
    Path sbom;

    @Option(
        names = "--advisories",
        required = true,
        description = "OSV record file, directory or zip export; repeatable.")
    List<Path> advisories = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Sbom parsed;
      OsvLoader.Load load;
      try {
        parsed = SbomParser.parse(Inputs.read(sbom));
        load = OsvLoader.loadAll(advisories);
      } catch (ProblemException e) {
        // bad input: exit 1 means "findings" in this contract, so refusals are input errors (2)
        throw CliException.usage(e.problem().type().slug() + ": " + e.problem().detail());
      } catch (IOException e) {
        throw CliException.usage("cannot read advisories: " + e.getMessage());
      }
      var err = spec.commandLine().getErr();
      for (Problem note : load.notes()) {
        err.println("arbiter: note: " + note.type().slug() + ": " + note.detail());
      }
      AdvisoryIndex index = new AdvisoryIndex();
      index.addAll(load.advisories());
      ScanResult result = new Scanner(index).scan(parsed);
      for (Problem note : result.notes()) {
        err.println("arbiter: note: " + note.type().slug() + ": " + note.detail());
      }
      print(parsed, result);
      return result.findings().isEmpty() ? ExitCode.OK : ExitCode.REFUSED;
    }

    /** The contract's JSON body (CONTRACTS.md). */
    record Body(
        @JsonProperty("format") String format,
        @JsonProperty("components") int components,
        @JsonProperty("findings") List<FindingBody> findings) {}

    record FindingBody(
        @JsonProperty("purl") String purl,
        @JsonProperty("version") String version,
        @JsonProperty("osv_id") String osvId,
        @JsonProperty("severity") String severity) {}

    private void print(Sbom parsed, ScanResult result) {
      var out = spec.commandLine().getOut();
      if (json) {
        Body body =
            new Body(
                parsed.formatId(),
                result.components(),
                result.findings().stream()
                    .map(f ->
                        new FindingBody(
                            f.purl(), f.version(), f.osvId(), f.severity().label().name()))
                    .toList());
        out.println(Json.writePretty(body));
        return;
      }
      out.println(
          parsed.formatId()
              + ": "
              + result.components()
              + " components, "
              + result.findings().size()
              + " findings");
      for (Finding finding : result.findings()) {
        var severity = finding.severity();
        out.println(
            "  "
                + finding.osvId()
                + " "
                + severity.label()
                + (severity.score() == null ? "" : " (" + severity.score() + ")")
                + " "
                + finding.purl());
      }
    }
  }
}
