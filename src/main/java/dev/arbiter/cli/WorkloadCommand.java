// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter workload create|list|show|set-objectives|set-retention|set-supply-chain|
 * supply-chain}.
 */
@Command(
    name = "workload",
    mixinStandardHelpOptions = true,
    description = "Manage workloads.",
    subcommands = {
      WorkloadCommand.Create.class,
      WorkloadCommand.ListWorkloads.class,
      WorkloadCommand.Show.class,
      WorkloadCommand.SetObjectives.class,
      WorkloadCommand.SetRetention.class,
      WorkloadCommand.SetSupplyChain.class,
      WorkloadCommand.SupplyChain.class
    })
final class WorkloadCommand {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a workload (operator).")
  static final class Create implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "Workload name (lowercase letters, digits, '.', '_', '-').")
    String name;

    @Option(names = "--owner", description = "Owner (team or e-mail; default: your principal).")
    String owner;

    @Option(names = "--objectives", description = "Control objectives JSON file.")
    Path objectives;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      if (owner != null) {
        body.put("owner", owner);
      }
      if (objectives != null) {
        body.put("objectives", readJson(objectives));
      }
      JsonNode created = client.client().post("/v1/workloads", body);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          created,
          w ->
              spec.commandLine()
                  .getOut()
                  .println(
                      "created workload "
                          + w.path("name").asText()
                          + " (owner "
                          + w.path("owner").asText()
                          + ")"));
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List workloads.")
  static final class ListWorkloads implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/workloads");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            var out = spec.commandLine().getOut();
            if (b.path("workloads").isEmpty()) {
              out.println("no workloads");
            }
            for (JsonNode w : b.path("workloads")) {
              out.printf(
                  "%-32s owner=%s created=%s%n",
                  w.path("name").asText(), w.path("owner").asText(), w.path("created_at").asText());
            }
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a workload and its current policy.")
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode w = client.client().get("/v1/workloads/" + ApiClient.encode(name));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          w,
          b -> {
            var out = spec.commandLine().getOut();
            out.println("workload   " + b.path("name").asText());
            out.println("owner      " + b.path("owner").asText());
            out.println("objectives " + Json.write(b.path("objectives")));
            JsonNode retention = b.path("decision_retention");
            out.println(
                "retention  decisions "
                    + (retention.isTextual() ? retention.asText() : "server default"));
            JsonNode policy = b.path("policy");
            out.println(
                "policy     revision #"
                    + policy.path("seq").asLong()
                    + " "
                    + policy.path("hash").asText());
            out.println(
                "accepted   "
                    + String.join(
                        ", ", Json.mapper().convertValue(policy.path("accepted"), String[].class)));
            JsonNode appraisal = policy.path("body").path("appraisal");
            out.println("appraisal  " + (appraisal.isNull() ? "(none)" : appraisal.asText()));
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "set-objectives",
      mixinStandardHelpOptions = true,
      description = "Set control objectives from a JSON file (operator).")
  static final class SetObjectives implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(
        names = "--file",
        required = true,
        description =
            "JSON: {\"critical\": {\"deadline\": \"PT72H\", \"on_deadline\": \"revoke\"}}")
    Path file;

    @Option(names = "--reason", required = true)
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode w =
          client
              .client()
              .put(
                  "/v1/workloads/" + ApiClient.encode(workload) + "/objectives",
                  Map.of("objectives", readJson(file), "reason", reason));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          w,
          b ->
              spec.commandLine()
                  .getOut()
                  .println("objectives of " + workload + ": " + Json.write(b.path("objectives"))));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "set-retention",
      mixinStandardHelpOptions = true,
      description =
          "Set how long the workload's decision records are kept (operator; audited). Older"
              + " decisions are pruned hourly (or by 'arbiter decisions prune'); each version's"
              + " first decision is kept.")
  static final class SetRetention implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(
        names = "--decisions",
        required = true,
        description =
            "forever, a duration of at least a day (90d, 36h, P90D), or 'default' for the"
                + " server-wide default.")
    String decisions;

    @Option(names = "--reason", required = true)
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("decisions", decisions.strip().equalsIgnoreCase("default") ? null : decisions);
      body.put("reason", reason);
      JsonNode w =
          client.client().put("/v1/workloads/" + ApiClient.encode(workload) + "/retention", body);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          w,
          b -> {
            JsonNode retention = b.path("decision_retention");
            spec.commandLine()
                .getOut()
                .println(
                    "decision retention of "
                        + workload
                        + ": "
                        + (retention.isTextual() ? retention.asText() : "server default"));
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "set-supply-chain",
      mixinStandardHelpOptions = true,
      description =
          "Set the workload's supply-chain policy from a JSON file (operator; audited). Fields:"
              + " builder_ids, signer_identities, oidc_issuers, keys, trusted_root, quorum, cel,"
              + " require_sbom, vulnerabilities, phase_out_objective, derive.")
  static final class SetSupplyChain implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(
        names = "--file",
        required = true,
        description = "Supply-chain policy JSON (see the supplychain README).")
    Path file;

    @Option(
        names = "--reason",
        defaultValue = "supply-chain policy set",
        description = "Why (audited).")
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode p =
          client
              .client()
              .put(
                  "/v1/workloads/" + ApiClient.encode(workload) + "/supply-chain",
                  Map.of("policy", readJson(file), "reason", reason));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          p,
          b ->
              spec.commandLine()
                  .getOut()
                  .println(
                      "supply-chain policy of " + workload + ": " + Json.write(b.path("policy"))));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "supply-chain",
      mixinStandardHelpOptions = true,
      description =
          "Show the workload's supply-chain policy, its versions' vulnerability findings and"
              + " phase-out obligations.")
  static final class SupplyChain implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode policy =
          client.client().get("/v1/workloads/" + ApiClient.encode(workload) + "/supply-chain");
      JsonNode status =
          client
              .client()
              .get("/v1/workloads/" + ApiClient.encode(workload) + "/supply-chain/status");
      var both = Json.mapper().createObjectNode();
      both.set("policy", policy.path("policy"));
      both.set("findings", status.path("findings"));
      both.set("obligations", status.path("obligations"));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          both,
          b -> {
            var out = spec.commandLine().getOut();
            out.println(
                "policy      "
                    + (b.path("policy").isNull() ? "(none)" : Json.write(b.path("policy"))));
            for (var entry : b.path("findings").properties()) {
              for (JsonNode f : entry.getValue()) {
                out.println(
                    "finding     "
                        + entry.getKey()
                        + " "
                        + f.path("osv_id").asText()
                        + " "
                        + f.path("purl").asText()
                        + " "
                        + f.path("severity").asText()
                        + (f.path("blocking").asBoolean() ? " BLOCKING" : ""));
              }
            }
            for (JsonNode o : b.path("obligations")) {
              out.println(
                  "obligation  #"
                      + o.path("id").asLong()
                      + " "
                      + o.path("version").asText()
                      + " "
                      + o.path("state").asText()
                      + " due "
                      + o.path("due_at").asText()
                      + " action "
                      + o.path("action").asText()
                      + " "
                      + Json.write(o.path("details").path("osv_ids")));
            }
          });
      return ExitCode.OK;
    }
  }

  static JsonNode readJson(Path file) {
    return parseJson(file, Inputs.read(file));
  }

  /** Parses {@code bytes} read from {@code file} ({@code -}: standard input) as JSON. */
  static JsonNode parseJson(Path file, byte[] bytes) {
    try {
      return Json.readTree(bytes);
    } catch (java.io.IOException e) {
      throw CliException.usage(
          (Inputs.isStdin(file) ? "standard input" : file.toString())
              + " is not valid JSON: "
              + ErrorHandler.oneLine(e.getMessage()));
    }
  }
}
