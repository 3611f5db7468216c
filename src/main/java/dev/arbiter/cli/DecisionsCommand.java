// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter decisions retention|set-default-retention|prune}. */
@Command(
    name = "decisions",
    mixinStandardHelpOptions = true,
    description = "Retention of attestation decision records.",
    subcommands = {
      DecisionsCommand.Retention.class,
      DecisionsCommand.SetDefaultRetention.class,
      DecisionsCommand.Prune.class
    })
final class DecisionsCommand {

  private static void printOverview(PrintWriter out, JsonNode b) {
    out.println("default    " + b.path("default").asText());
    for (JsonNode w : b.path("workloads")) {
      out.printf(
          "%-24s %s%s%n",
          w.path("workload").asText(),
          w.path("effective").asText(),
          w.path("setting").isTextual() ? "" : " (default)");
    }
  }

  @Command(
      name = "retention",
      mixinStandardHelpOptions = true,
      description = "Show the server-wide decision retention and each workload's effective one.")
  static final class Retention implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/decisions/retention");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> printOverview(spec.commandLine().getOut(), b));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "set-default-retention",
      mixinStandardHelpOptions = true,
      description =
          "Set the server-wide decision retention for workloads without their own (operator;"
              + " audited). Until set: forever.")
  static final class SetDefaultRetention implements Callable<Integer> {
    @Option(
        names = "--decisions",
        required = true,
        description = "forever, or a duration of at least a day (400d, 36h, P400D).")
    String decisions;

    @Option(names = "--reason", required = true)
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body =
          client
              .client()
              .put("/v1/decisions/retention", Map.of("decisions", decisions, "reason", reason));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> printOverview(spec.commandLine().getOut(), b));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description =
          "Prune decision records past retention now (operator): removes the decisions' leaf"
              + " bodies from the transparency log (hashes, checkpoints and proofs stay) and"
              + " deletes their fleet events, keeping each version's first decision; one audit"
              + " record per batch. The server also does this hourly.")
  static final class Prune implements Callable<Integer> {
    @Option(names = "--workload", description = "Only this workload (default: every workload).")
    String workload;

    @Option(names = "--dry-run", description = "Count what would be pruned; change nothing.")
    boolean dryRun;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> request = new LinkedHashMap<>();
      if (workload != null) {
        request.put("workload", workload);
      }
      request.put("dry_run", dryRun);
      JsonNode body = client.client().post("/v1/decisions/prune", request);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            PrintWriter out = spec.commandLine().getOut();
            for (JsonNode run : b.path("runs")) {
              if (run.path("cutoff").isMissingNode()) {
                out.println(run.path("workload").asText() + ": kept forever, nothing to prune");
                continue;
              }
              out.println(
                  run.path("workload").asText()
                      + ": "
                      + (run.path("dry_run").asBoolean() ? "would prune " : "pruned ")
                      + run.path("decisions_pruned").asLong()
                      + " decisions and "
                      + run.path("attestation_events_deleted").asLong()
                      + " attestation events before "
                      + run.path("cutoff").asText()
                      + " (retention "
                      + run.path("retention").asText()
                      + ", "
                      + run.path("kept_first_decisions").asLong()
                      + " first decisions kept"
                      + (run.path("audit_records").isEmpty()
                          ? ""
                          : ", audit records " + run.path("audit_records"))
                      + ")");
            }
          });
      return ExitCode.OK;
    }
  }
}
