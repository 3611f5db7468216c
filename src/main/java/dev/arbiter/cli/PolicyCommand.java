// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter policy show|history|diff|set-appraisal|accept|revoke}. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Inspect and edit a workload's Verifier policy.",
    subcommands = {
      PolicyCommand.Show.class,
      PolicyCommand.History.class,
      PolicyCommand.Diff.class,
      PolicyCommand.SetAppraisal.class,
      PolicyCommand.Accept.class,
      PolicyCommand.Revoke.class
    })
final class PolicyCommand {

  static String base(String workload) {
    return "/v1/workloads/" + ApiClient.encode(workload) + "/policy";
  }

  static void printRevision(java.io.PrintWriter out, JsonNode r) {
    out.println("revision  #" + r.path("seq").asLong() + " " + r.path("hash").asText());
    out.println("prev      " + (r.path("prev").isNull() ? "(none)" : r.path("prev").asText()));
    out.println(
        "accepted  "
            + String.join(", ", Json.mapper().convertValue(r.path("accepted"), String[].class)));
    JsonNode body = r.path("body");
    out.println(
        "appraisal "
            + (body.path("appraisal").isNull() ? "(none)" : body.path("appraisal").asText()));
    out.println(
        "at        " + body.path("created_at").asText() + " by " + body.path("principal").asText());
    out.println("reason    " + body.path("reason").asText());
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "The current policy revision.")
  static final class Show implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode r = client.client().get(base(workload));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          r,
          b -> printRevision(spec.commandLine().getOut(), b));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "Every policy revision, oldest first.")
  static final class History implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get(base(workload) + "/revisions");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            for (JsonNode r : b.path("revisions")) {
              JsonNode content = r.path("body");
              spec.commandLine()
                  .getOut()
                  .printf(
                      "#%-4d %s %s %-24s accepted=[%s] reason=%s%n",
                      r.path("seq").asLong(),
                      r.path("hash").asText().substring(0, 16),
                      content.path("created_at").asText(),
                      content.path("principal").asText(),
                      String.join(
                          ",", Json.mapper().convertValue(r.path("accepted"), String[].class)),
                      content.path("reason").asText());
            }
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = "What changed between two revisions.")
  static final class Diff implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--from", required = true)
    long from;

    @Option(names = "--to", required = true)
    long to;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get(base(workload) + "/diff?from=" + from + "&to=" + to);
      Printer.print(spec.commandLine().getOut(), true, body, b -> {});
      return ExitCode.OK;
    }
  }

  /** The body of a policy change; absent fields are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChangeBody(
      String reason,
      @JsonProperty("base_revision") String baseRevision,
      String cel,
      String version) {}

  abstract static class Change implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(
        names = "--reason",
        required = true,
        description = "Why (recorded in the revision and the audit log).")
    String reason;

    @Option(
        names = "--base-revision",
        description = "Refuse (409) unless this is still the current revision hash.")
    String baseRevision;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    ChangeBody body(String cel, String version) {
      return new ChangeBody(reason, baseRevision, cel, version);
    }

    int print(JsonNode revision) {
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          revision,
          r -> printRevision(spec.commandLine().getOut(), r));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "set-appraisal",
      mixinStandardHelpOptions = true,
      description =
          "Set the CEL appraisal policy over claims, format, workload and version (operator).")
  static final class SetAppraisal extends Change {
    @Option(names = "--cel", required = true, description = "e.g. 'claims.debug_allowed == false'")
    String cel;

    @Override
    public Integer call() {
      return print(client.client().put(base(workload) + "/appraisal", body(cel, null)));
    }
  }

  @Command(name = "accept", description = "Add a version to the accepted set (operator; audited).")
  static final class Accept extends Change {
    // no mixinStandardHelpOptions: its -V/--version would clash with the contract's --version
    // option
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", required = true)
    String version;

    @Override
    public Integer call() {
      return print(client.client().post(base(workload) + "/accept", body(null, version)));
    }
  }

  @Command(
      name = "revoke",
      description =
          "Remove a version from the accepted set and mark it revoked (operator; audited).")
  static final class Revoke extends Change {
    // no mixinStandardHelpOptions: its -V/--version would clash with the contract's --version
    // option
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", required = true)
    String version;

    @Override
    public Integer call() {
      return print(client.client().post(base(workload) + "/revoke", body(null, version)));
    }
  }
}
