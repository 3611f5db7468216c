// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter rollout ...}: Upgrade Governance from a pipeline. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Roll a workload from its accepted version(s) to a new one.",
    subcommands = {
      RolloutCommand.Start.class,
      RolloutCommand.Status.class,
      RolloutCommand.Wait.class,
      RolloutCommand.Deploying.class,
      RolloutCommand.Complete.class,
      RolloutCommand.Abort.class,
      RolloutCommand.Evidence.class,
      RolloutCommand.ListRollouts.class
    })
final class RolloutCommand {
  static String base(String workload) {
    return "/v1/workloads/" + ApiClient.encode(workload) + "/rollouts";
  }

  static void printRollout(PrintWriter out, JsonNode r) {
    out.println(
        "rollout #"
            + r.path("id").asLong()
            + " "
            + r.path("state").asText()
            + ": "
            + String.join(",", Json.mapper().convertValue(r.path("from"), String[].class))
            + " -> "
            + r.path("to").asText());
  }

  /** The body of {@code POST .../rollouts}; absent options are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StartBody(
      String to,
      String reason,
      String deadline,
      String objective,
      @JsonProperty("max_failure_rate") double maxFailureRate,
      @JsonProperty("min_samples") int minSamples,
      @JsonProperty("failure_window") String failureWindow,
      @JsonProperty("min_fleet_share") double minFleetShare,
      String drain,
      String webhook) {}

  /** The body of a transition ({@code force} only for abort). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TransitionBody(String reason, Boolean force) {}

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start a rollout: check the version's gates, then stage it into the Verifier policy"
              + " before deployment (old and new accepted).")
  static final class Start implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--to", required = true, description = "The version to roll out.")
    String to;

    @Option(names = "--deadline", description = "ISO-8601 duration (PT72H) or RFC 3339 time.")
    String deadline;

    @Option(
        names = "--objective",
        description = "Control objective class (e.g. critical) giving the deadline and its action.")
    String objective;

    @Option(
        names = "--max-failure-rate",
        defaultValue = "0.05",
        description = "Auto-abort above this failure rate (default ${DEFAULT-VALUE}).")
    double maxFailureRate;

    @Option(
        names = "--min-samples",
        defaultValue = "20",
        description = "Attestations needed before the rate counts (default ${DEFAULT-VALUE}).")
    int minSamples;

    @Option(
        names = "--failure-window",
        defaultValue = "PT5M",
        description = "Sliding window for the failure rate (default ${DEFAULT-VALUE}).")
    String failureWindow;

    @Option(
        names = "--min-fleet-share",
        defaultValue = "1.0",
        description =
            "Complete automatically at this share of the live fleet (default ${DEFAULT-VALUE}).")
    double minFleetShare;

    @Option(
        names = "--drain",
        defaultValue = "PT0S",
        description = "Wait this long after reaching the share (default ${DEFAULT-VALUE}).")
    String drain;

    @Option(
        names = "--webhook",
        description = "URL notified (signed) of every transition and deadline.")
    String webhook;

    @Option(names = "--reason", required = true)
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      StartBody body =
          new StartBody(
              to,
              reason,
              deadline,
              objective,
              maxFailureRate,
              minSamples,
              failureWindow,
              minFleetShare,
              drain,
              webhook);
      JsonNode rollout = client.client().post(base(workload), body);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          rollout,
          r -> printRollout(spec.commandLine().getOut(), r));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "State, instances by version, failures, deadline left.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(
        names = "--watch",
        description = "Refresh every 2 seconds until interrupted or the rollout ends.")
    boolean watch;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      ApiClient api = client.client();
      while (true) {
        JsonNode status = api.get(base(workload) + "/current");
        Printer.print(
            spec.commandLine().getOut(),
            client.json(),
            status,
            s -> render(spec.commandLine().getOut(), s));
        String state = status.path("rollout").path("state").asText("");
        if (!watch || !Set.of("PLANNED", "STAGED", "ROLLING").contains(state)) {
          return ExitCode.OK;
        }
        Thread.sleep(2000);
      }
    }

    static void render(PrintWriter out, JsonNode s) {
      JsonNode r = s.path("rollout");
      if (r.isNull() || r.isMissingNode()) {
        out.println(s.path("workload").asText() + ": no rollout yet");
        return;
      }
      printRollout(out, r);
      if (!r.path("deadline").isNull()) {
        out.println(
            "  deadline "
                + r.path("deadline").asText()
                + " ("
                + Duration.ofSeconds(r.path("deadline_left_s").asLong())
                + " left, on deadline: "
                + r.path("on_deadline").asText()
                + ")");
      }
      long total = s.path("fleet").path("total").asLong();
      out.println(
          "  live instances ("
              + s.path("fleet").path("live_window_s").asLong()
              + "s window): "
              + total);
      s.path("fleet")
          .path("versions")
          .fields()
          .forEachRemaining(v -> {
            long live = v.getValue().path("live").asLong();
            int width = total == 0 ? 0 : (int) Math.round(30.0 * live / total);
            out.printf(
                "  %-16s [%-30s] %6d live, %d failing%n",
                v.getKey(), "#".repeat(width), live, v.getValue().path("failed").asLong());
          });
      s.path("failures")
          .fields()
          .forEachRemaining(f ->
              out.printf(
                  "  failures %-12s %d/%d in %ds (rate %.3f)%n",
                  f.getKey(),
                  f.getValue().path("failed").asLong(),
                  f.getValue().path("total").asLong(),
                  f.getValue().path("window_s").asLong(),
                  f.getValue().path("rate").asDouble()));
      for (JsonNode replica : s.path("replicas")) {
        out.println(
            "  replica "
                + replica.path("id").asText()
                + " serves #"
                + replica.path("serving_seq").asLong()
                + (replica.path("serves_staged").asBoolean()
                    ? " (staged revision live)"
                    : " (not yet staged)"));
      }
    }
  }

  @Command(
      name = "wait",
      mixinStandardHelpOptions = true,
      description =
          "Block until the rollout reaches STAGED (and every running replica serves the staged"
              + " revision), COMPLETED or ROLLED_BACK. Exit 1 if it ends otherwise or times out;"
              + " an unreachable or unavailable server (502/503/504) is retried until the timeout.")
  static final class Wait implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--state", required = true, description = "STAGED, COMPLETED or ROLLED_BACK.")
    String state;

    @Option(
        names = "--timeout",
        defaultValue = "PT10M",
        description = "ISO-8601 duration or seconds (default ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      String wanted = state.toUpperCase(java.util.Locale.ROOT);
      if (!Set.of("STAGED", "COMPLETED", "ROLLED_BACK").contains(wanted)) {
        throw CliException.usage("--state must be STAGED, COMPLETED or ROLLED_BACK");
      }
      long deadline = System.nanoTime() + parse(timeout).toNanos();
      ApiClient api = client.client();
      boolean retrying = false;
      while (true) {
        JsonNode status;
        try {
          status = api.get(base(workload) + "/current");
        } catch (CliException e) {
          // a failover or restart (503, no connection) is waited out like the rollout itself
          if (!e.isTransient() || System.nanoTime() > deadline) {
            throw e;
          }
          if (!retrying) {
            spec.commandLine()
                .getErr()
                .println("rollout wait: " + e.getMessage() + " (retrying until the timeout)");
            retrying = true;
          }
          Thread.sleep(500);
          continue;
        }
        retrying = false;
        JsonNode r = status.path("rollout");
        String current = r.path("state").asText("");
        boolean reached =
            switch (wanted) {
              // Arbiter records staged_live_at once every live replica reports serving the staged
              // revision
              case "STAGED" ->
                  (current.equals("STAGED") || current.equals("ROLLING"))
                      && !r.path("staged_live_at").isNull()
                      && !status.path("replicas").isEmpty()
                      && allServeStaged(status.path("replicas"));
              default -> current.equals(wanted);
            };
        if (reached) {
          Printer.print(
              spec.commandLine().getOut(),
              client.json(),
              status,
              s ->
                  spec.commandLine()
                      .getOut()
                      .println(
                          "rollout #"
                              + r.path("id").asLong()
                              + " reached "
                              + wanted
                              + ("STAGED".equals(wanted) ? " (live on every replica)" : "")));
          return ExitCode.OK;
        }
        if (Set.of("COMPLETED", "ROLLED_BACK", "REJECTED").contains(current)
            && !current.equals(wanted)) {
          throw CliException.refused(
              "rollout #" + r.path("id").asLong() + " ended " + current + ", not " + wanted);
        }
        if (System.nanoTime() > deadline) {
          throw CliException.refused(
              "wait-timeout: rollout is "
                  + (current.isEmpty() ? "absent" : current)
                  + " after "
                  + timeout);
        }
        Thread.sleep(500);
      }
    }

    static boolean allServeStaged(JsonNode replicas) {
      for (JsonNode replica : replicas) {
        if (!replica.path("serves_staged").asBoolean()) {
          return false;
        }
      }
      return true;
    }

    static Duration parse(String text) {
      try {
        return text.matches("\\d+")
            ? Duration.ofSeconds(Long.parseLong(text))
            : Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw CliException.usage("--timeout must be seconds or an ISO-8601 duration");
      }
    }
  }

  abstract static class Transition implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--reason", required = true)
    String reason;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    int post(String action, TransitionBody body) {
      JsonNode rollout = client.client().post(base(workload) + "/current/" + action, body);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          rollout,
          r -> printRollout(spec.commandLine().getOut(), r));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "deploying",
      mixinStandardHelpOptions = true,
      description = "Tell Arbiter deployment started (STAGED to ROLLING).")
  static final class Deploying extends Transition {
    @Override
    public Integer call() {
      return post("deploying", new TransitionBody(reason, null));
    }
  }

  @Command(
      name = "complete",
      mixinStandardHelpOptions = true,
      description = "Deployment succeeded: remove the old version(s) from the policy.")
  static final class Complete extends Transition {
    @Override
    public Integer call() {
      return post("complete", new TransitionBody(reason, null));
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Deployment failed: remove the new version, restore the old.")
  static final class Abort extends Transition {
    @Option(
        names = "--force",
        description = "Also restore versions revoked since the rollout started (operator only).")
    boolean force;

    @Override
    public Integer call() {
      return post("abort", new TransitionBody(reason, force));
    }
  }

  @Command(
      name = "evidence",
      mixinStandardHelpOptions = true,
      description = "Governance evidence for one rollout (expectations 7 and 12).")
  static final class Evidence implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--id", required = true)
    long id;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode evidence = client.client().get(base(workload) + "/" + id + "/evidence");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          evidence,
          e -> {
            var out = spec.commandLine().getOut();
            JsonNode seven = e.path("expectation_7");
            out.println("rollout #" + id + " " + seven.path("final_state").asText());
            out.println(
                "  staged revision   #"
                    + seven.path("staged_revision").path("seq").asText("-")
                    + " "
                    + seven.path("staged_revision").path("hash").asText("-")
                    + " at "
                    + seven.path("staged_revision").path("created_at").asText("-")
                    + " by "
                    + seven.path("staged_revision").path("principal").asText("-"));
            out.println(
                "  live everywhere   " + seven.path("staged_live_on_every_replica_at").asText("-"));
            out.println(
                "  first new attest  "
                    + seven.path("first_attestation_of_new_version").path("at").asText("-"));
            out.println(
                "  policy before deployment: "
                    + seven.path("policy_updated_before_first_new_attestation").asBoolean());
            out.println(
                "  final revision    "
                    + seven.path("final_revision").path("hash").asText("-")
                    + " removed "
                    + seven.path("removed_versions"));
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every rollout of a workload.")
  static final class ListRollouts implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get(base(workload));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> b.path("rollouts").forEach(r -> printRollout(spec.commandLine().getOut(), r)));
      return ExitCode.OK;
    }
  }
}
