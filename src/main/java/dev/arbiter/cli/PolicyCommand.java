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
import picocli.CommandLine.ParameterException;
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
        description = "Why (recorded in the revision and the audit log); required.")
    String reason;

    @Option(
        names = "--base-revision",
        description = "Refuse (409) unless this is still the current revision hash.")
    String baseRevision;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    ChangeBody body(String cel, String version) {
      if (reason == null) {
        throw new ParameterException(
            spec.commandLine(), "Missing required option: '--reason=<reason>'");
      }
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

  /** The body of a dry run; absent fields are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PreviewBody(String cel, Integer last, String since) {}

  @Command(
      name = "set-appraisal",
      mixinStandardHelpOptions = true,
      description = {
        "Set the CEL appraisal policy over claims, format, workload and version (operator).",
        "Every claim name it reads must be a claim of a scheme of the workload's versions (or"
            + " named in the policy): unknown names are refused (appraisal-unknown-claim), with"
            + " the nearest known name.",
        "--dry-run changes nothing: it evaluates the policy on the latest appraisal of each"
            + " recently seen instance and shows how many would pass or fail against what"
            + " happened, and which instances would flip, with why."
      })
  static final class SetAppraisal extends Change {
    @Option(names = "--cel", required = true, description = "e.g. 'claims.debug_allowed == false'")
    String cel;

    @Option(
        names = "--dry-run",
        description = "Evaluate on recent appraisals and print the outcome; change nothing.")
    boolean dryRun;

    @Option(
        names = "--last",
        paramLabel = "N",
        description = "With --dry-run: the N most recently seen instances (default 100, max 256).")
    Integer last;

    @Option(
        names = "--since",
        paramLabel = "DURATION",
        description =
            "With --dry-run: only appraisals within this window, e.g. 24h, 90m, 2d or PT24H.")
    String since;

    @Override
    public Integer call() {
      if (!dryRun) {
        if (last != null || since != null) {
          throw new ParameterException(spec.commandLine(), "--last and --since need --dry-run");
        }
        return print(client.client().put(base(workload) + "/appraisal", body(cel, null)));
      }
      if (last != null && last < 1) {
        throw new ParameterException(spec.commandLine(), "--last must be at least 1");
      }
      JsonNode preview =
          client
              .client()
              .post(
                  base(workload) + "/appraisal/preview",
                  new PreviewBody(cel, last, since == null ? null : isoDuration(since)));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          preview,
          p -> printPreview(spec.commandLine().getOut(), p));
      return ExitCode.OK;
    }

    /** {@code 24h}, {@code 90m}, {@code 30s}, {@code 2d} or an ISO-8601 duration, as ISO-8601. */
    String isoDuration(String text) {
      java.util.regex.Matcher compact =
          java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(text.strip());
      try {
        if (compact.matches()) {
          long amount = Long.parseLong(compact.group(1));
          java.time.Duration duration =
              switch (compact.group(2)) {
                case "s" -> java.time.Duration.ofSeconds(amount);
                case "m" -> java.time.Duration.ofMinutes(amount);
                case "h" -> java.time.Duration.ofHours(amount);
                default -> java.time.Duration.ofDays(amount);
              };
          return duration.toString();
        }
        return java.time.Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT)).toString();
      } catch (java.time.format.DateTimeParseException e) {
        throw new ParameterException(
            spec.commandLine(), "--since must be like 24h, 90m, 2d or PT24H: " + text);
      }
    }
  }

  static void printPreview(java.io.PrintWriter out, JsonNode p) {
    out.println("dry run   " + p.path("cel").asText() + " (nothing changed)");
    out.println(
        "current   "
            + (p.path("current_cel").isTextual() ? p.path("current_cel").asText() : "(none)")
            + " (revision "
            + p.path("current_revision").asText()
            + ")");
    int sampled = p.path("sampled").asInt();
    out.println(
        "sampled   "
            + sampled
            + " instance(s)"
            + (sampled == 0
                ? ""
                : ", appraised " + p.path("oldest").asText() + " .. " + p.path("newest").asText()));
    out.printf(
        "actual    pass %d  fail %d%n",
        p.path("actual").path("pass").asInt(), p.path("actual").path("fail").asInt());
    out.printf(
        "proposed  pass %d  fail %d%n",
        p.path("proposed").path("pass").asInt(), p.path("proposed").path("fail").asInt());
    out.println("flips     " + p.path("flips").size());
    for (JsonNode flip : p.path("flips")) {
      out.printf(
          "  %s %s@%s %s: %s -> %s: %s%n",
          flip.path("at").asText(),
          flip.path("instance_id").asText(),
          flip.path("version").asText(),
          flip.path("format").asText(),
          flip.path("actual").asText(),
          flip.path("proposed").asText(),
          flip.path("reason").asText());
    }
    if (sampled == 0) {
      out.println("note      no recent appraisal reached the appraisal policy on this replica");
    }
    out.println("sample    " + p.path("sample").asText());
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
