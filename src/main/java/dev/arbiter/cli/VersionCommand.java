// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter version register|list|show|check}. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Register and inspect workload versions.",
    subcommands = {
      VersionCommand.Register.class,
      VersionCommand.ListVersions.class,
      VersionCommand.Show.class,
      VersionCommand.Check.class
    })
final class VersionCommand {
  /** The body of {@code POST /v1/workloads/{w}/versions}; absent parts are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RegisterBody(
      @JsonProperty("version") String version,
      @JsonProperty("reference_values") JsonNode referenceValues,
      @JsonProperty("digest") String digest,
      @JsonProperty("provenance") List<String> provenance,
      @JsonProperty("sbom") String sbom) {}

  @Command(
      name = "register",
      description =
          "Register an immutable version with its reference values (pipeline, operator). Same"
              + " content again is a no-op; different content under the label is refused.")
  static final class Register implements Callable<Integer> {
    // no mixinStandardHelpOptions: its -V/--version would clash with the contract's --version
    // option
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--version", required = true, description = "Version label, e.g. 1.4.2.")
    String version;

    @Option(
        names = "--reference-values",
        description =
            "Reference-values JSON file (format in CONTRACTS.md); optional when the "
                + "workload's supply-chain policy derives them from provenance subjects.")
    Path referenceValues;

    @Option(names = "--digest", description = "sha256:HEX of the artifact this version is about.")
    String digest;

    @Option(
        names = "--provenance",
        description = "Signed provenance (DSSE envelope, JSONL, Sigstore bundle); repeatable.")
    List<Path> provenance = new ArrayList<>();

    @Option(
        names = "--sbom",
        description =
            "SBOM of the artifact: CycloneDX 1.2-1.6 or SPDX 2.2/2.3 JSON, or an in-toto SBOM"
                + " statement.")
    Path sbom;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      RegisterBody body =
          new RegisterBody(
              version,
              referenceValues == null ? null : WorkloadCommand.readJson(referenceValues),
              digest,
              provenance.isEmpty()
                  ? null
                  : provenance.stream()
                      .map(p -> Base64.getEncoder().encodeToString(Inputs.read(p)))
                      .toList(),
              sbom == null ? null : Base64.getEncoder().encodeToString(Inputs.read(sbom)));
      JsonNode v =
          client.client().post("/v1/workloads/" + ApiClient.encode(workload) + "/versions", body);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          v,
          b ->
              spec.commandLine()
                  .getOut()
                  .println(
                      (b.path("created").asBoolean()
                              ? "registered "
                              : "already registered (identical) ")
                          + workload
                          + "@"
                          + version
                          + " content_hash="
                          + b.path("content_hash").asText()));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a workload's versions.")
  static final class ListVersions implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body =
          client.client().get("/v1/workloads/" + ApiClient.encode(workload) + "/versions");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            for (JsonNode v : b.path("versions")) {
              spec.commandLine()
                  .getOut()
                  .printf(
                      "%-20s %s%s%n",
                      v.path("version").asText(),
                      v.path("content_hash").asText(),
                      v.path("revoked").asBoolean() ? " REVOKED" : "");
            }
          });
      return ExitCode.OK;
    }
  }

  @Command(name = "show", description = "Show one version.")
  static final class Show implements Callable<Integer> {
    // no mixinStandardHelpOptions: its -V/--version would clash with the contract's --version
    // option
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--version", required = true)
    String version;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body =
          client
              .client()
              .get(
                  "/v1/workloads/"
                      + ApiClient.encode(workload)
                      + "/versions/"
                      + ApiClient.encode(version));
      Printer.print(spec.commandLine().getOut(), true, body, b -> {});
      return ExitCode.OK;
    }
  }

  @Command(
      name = "check",
      description =
          "Admission verdict of a version under the workload's supply-chain policy and the known"
              + " advisories, with every reason. Exit 0 admissible, 1 not.")
  static final class Check implements Callable<Integer> {
    // no mixinStandardHelpOptions: its -V/--version would clash with the contract's --version
    // option
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--version", required = true)
    String version;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body =
          client
              .client()
              .get(
                  "/v1/workloads/"
                      + ApiClient.encode(workload)
                      + "/versions/"
                      + ApiClient.encode(version)
                      + "/check");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            var out = spec.commandLine().getOut();
            out.println(
                workload
                    + "@"
                    + version
                    + ": "
                    + (b.path("admissible").asBoolean() ? "ADMISSIBLE" : "NOT ADMISSIBLE"));
            out.println("  artifact   " + b.path("artifact_digest").asText("(none)"));
            for (JsonNode p : b.path("provenance")) {
              out.println(
                  "  provenance "
                      + p.path("digest").asText()
                      + " "
                      + p.path("verdict").asText()
                      + " builder="
                      + p.path("builder_id").asText("(none)")
                      + (p.path("counted").asBoolean() ? " counted" : ""));
            }
            out.println(
                "  quorum     "
                    + b.path("quorum").path("builders").size()
                    + "/"
                    + b.path("quorum").path("required").asInt());
            JsonNode sbom = b.path("sbom");
            out.println(
                "  sbom       "
                    + (sbom.path("present").asBoolean()
                        ? sbom.path("format").asText()
                            + " "
                            + sbom.path("components").asInt()
                            + " components"
                            + (sbom.path("bound").asBoolean() ? ", bound" : ", NOT bound")
                        : "(none)"));
            for (JsonNode v : b.path("vulnerabilities")) {
              out.println(
                  "  vuln       "
                      + v.path("osv_id").asText()
                      + " "
                      + v.path("purl").asText()
                      + " "
                      + v.path("severity").asText()
                      + (v.path("blocking").asBoolean() ? " BLOCKING" : ""));
            }
            for (JsonNode r : b.path("reasons")) {
              out.println(
                  "  reason     "
                      + r.path("type").asText().replace("urn:arbiter:problem:", "")
                      + ": "
                      + r.path("detail").asText());
            }
          });
      return body.path("admissible").asBoolean() ? ExitCode.OK : ExitCode.REFUSED;
    }
  }
}
