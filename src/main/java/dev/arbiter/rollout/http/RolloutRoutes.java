// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.auth.Role;
import dev.arbiter.http.Access;
import dev.arbiter.http.Call;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.rollout.Rollout;
import dev.arbiter.rollout.RolloutProblem;
import dev.arbiter.rollout.RolloutReports;
import dev.arbiter.rollout.RolloutReports.RolloutView;
import dev.arbiter.rollout.RolloutService;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollout routes: the pipeline role may drive rollouts; {@code abort --force} is the operator's.
 */
public final class RolloutRoutes {
  private final RolloutService rollouts;
  private final RolloutReports reports;
  private final Clock clock;

  public RolloutRoutes(RolloutService rollouts, RolloutReports reports, Clock clock) {
    this.rollouts = rollouts;
    this.reports = reports;
    this.clock = clock;
  }

  record Start(
      @JsonProperty(value = "to", required = true) String to,
      @JsonProperty(value = "reason", required = true) String reason,
      @JsonProperty("deadline") String deadline,
      @JsonProperty("objective") String objective,
      @JsonProperty("max_failure_rate") Double maxFailureRate,
      @JsonProperty("min_samples") Integer minSamples,
      @JsonProperty("failure_window") String failureWindow,
      @JsonProperty("min_fleet_share") Double minFleetShare,
      @JsonProperty("drain") String drain,
      @JsonProperty("webhook") String webhook) {}

  record RolloutList(List<RolloutView> rollouts) {}

  record ObligationList(List<RolloutReports.Obligation> obligations) {}

  record Transition(
      @JsonProperty(value = "reason", required = true) String reason,
      @JsonProperty("force") Boolean force) {}

  public List<Route> routes() {
    String base = "/v1/workloads/{workload}/rollouts";
    return List.of(
        Route.post(
            base,
            Access.PIPELINE,
            "Start a rollout: gates, then stage the new version into the policy (accepted: old and"
                + " new)",
            Map.of(
                "to",
                "1.5.0",
                "reason",
                "release 1.5.0",
                "objective",
                "critical",
                "max_failure_rate",
                0.05,
                "min_fleet_share",
                1.0,
                "drain",
                "PT10M",
                "webhook",
                "https://ci.example/hooks/arbiter"),
            this::start),
        Route.get(
            base,
            Access.READ,
            "Every rollout of the workload",
            call ->
                Reply.ok(
                    new RolloutList(
                        rollouts.list(call.path("workload")).stream()
                            .map(r -> RolloutView.of(r, clock.instant()))
                            .toList()))),
        Route.get(
            base + "/current",
            Access.READ,
            "Status of the latest rollout: state, instances by version, failures, deadline,"
                + " replicas",
            call -> Reply.ok(reports.status(call.path("workload")))),
        Route.post(
            base + "/current/deploying",
            Access.PIPELINE,
            "STAGED to ROLLING: deployment has started",
            Map.of("reason", "deploy job 42 started"),
            call ->
                Reply.ok(
                    RolloutView.of(
                        rollouts.deploying(
                            call.principal(),
                            call.path("workload"),
                            call.body(Transition.class).reason()),
                        clock.instant()))),
        Route.post(
            base + "/current/complete",
            Access.PIPELINE,
            "COMPLETED: remove the old versions from the policy",
            Map.of("reason", "fleet on 1.5.0"),
            call ->
                Reply.ok(
                    RolloutView.of(
                        rollouts.complete(
                            call.principal(),
                            call.path("workload"),
                            call.body(Transition.class).reason()),
                        clock.instant()))),
        Route.post(
            base + "/current/abort",
            Access.PIPELINE,
            "ROLLED_BACK: remove the new version, restore the old (force: operator only)",
            Map.of("reason", "canary failed", "force", false),
            call -> {
              Transition body = call.body(Transition.class);
              boolean force = Boolean.TRUE.equals(body.force());
              if (force && call.principal().role() != Role.OPERATOR) {
                throw new ProblemException(
                    CommonProblem.FORBIDDEN,
                    "abort --force restores revoked versions and is reserved to operators");
              }
              return Reply.ok(
                  RolloutView.of(
                      rollouts.abort(call.principal(), call.path("workload"), body.reason(), force),
                      clock.instant()));
            }),
        Route.get(
            base + "/{id}",
            Access.READ,
            "One rollout with its events",
            call -> {
              Rollout rollout = rollouts.get(call.path("workload"), id(call));
              return Reply.ok(
                  new RolloutReports.RolloutDetail(
                      RolloutView.of(rollout, clock.instant()), rollouts.events(rollout.id())));
            }),
        Route.get(
            base + "/{id}/evidence",
            Access.READ,
            "Governance evidence (expectations 7 and 12) for one rollout",
            call -> {
              long id = id(call);
              rollouts.get(call.path("workload"), id);
              return Reply.ok(reports.evidence(call.path("workload"), id, rollouts.events(id)));
            }),
        Route.get(
            "/v1/workloads/{workload}/obligations",
            Access.READ,
            "Deadlines and their state",
            call -> Reply.ok(new ObligationList(reports.obligations(call.path("workload"))))));
  }

  private Reply start(Call call) {
    Start body = call.body(Start.class);
    RolloutService.StartRequest request =
        new RolloutService.StartRequest(
            call.path("workload"),
            body.to(),
            Optional.ofNullable(body.deadline()),
            Optional.ofNullable(body.objective()),
            Optional.ofNullable(body.maxFailureRate()).orElse(0.05),
            Optional.ofNullable(body.minSamples()).orElse(20),
            duration("failure_window", body.failureWindow(), Duration.ofMinutes(5)),
            Optional.ofNullable(body.minFleetShare()).orElse(1.0),
            duration("drain", body.drain(), Duration.ZERO),
            Optional.ofNullable(body.webhook()),
            body.reason());
    RolloutService.Started started = rollouts.start(call.principal(), request);
    if (!started.gateFailures().isEmpty()) {
      List<Problem> problems = new ArrayList<>();
      problems.add(
          Problem.of(
              RolloutProblem.GATES_FAILED,
              "rollout "
                  + started.rollout().id()
                  + " of "
                  + body.to()
                  + " was REJECTED: "
                  + String.join("; ", started.gateFailures())));
      throw new ProblemException(problems);
    }
    return Reply.created(RolloutView.of(started.rollout(), clock.instant()));
  }

  private static long id(Call call) {
    try {
      return Long.parseLong(call.path("id"));
    } catch (NumberFormatException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, "a rollout id is a number");
    }
  }

  static Duration duration(String field, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          RolloutProblem.INVALID_ROLLOUT, field + " must be an ISO-8601 duration such as PT10M");
    }
  }
}
