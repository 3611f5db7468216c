// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.retention.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.policy.Retention;
import dev.arbiter.retention.DecisionRetention;
import dev.arbiter.retention.PruneRun;
import java.util.List;
import java.util.Optional;

/**
 * Decision retention routes: the server-wide default and every workload's effective retention
 * (read), setting the default and pruning now (operator). A workload's own retention is set under
 * the workload routes ({@code PUT /v1/workloads/{workload}/retention}).
 */
public final class RetentionRoutes {
  private final DecisionRetention retention;

  public RetentionRoutes(DecisionRetention retention) {
    this.retention = retention;
  }

  record SetDefault(
      @JsonProperty(value = "decisions", required = true) String decisions,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record PruneRequest(
      @JsonProperty("workload") String workload, @JsonProperty("dry_run") Boolean dryRun) {}

  record PruneRuns(@JsonProperty("runs") List<PruneRun> runs) {}

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/v1/decisions/retention",
            Access.READ,
            "The server-wide decision retention and every workload's effective retention",
            call -> Reply.ok(retention.overview())),
        Route.put(
            "/v1/decisions/retention",
            Access.OPERATOR,
            "Set the server-wide decision retention (forever, 400d, P400D), for workloads without"
                + " their own; audited",
            new SetDefault("P400D", "records policy RP-7"),
            call -> {
              SetDefault body = call.body(SetDefault.class);
              return Reply.ok(
                  retention.setDefault(
                      call.principal(), Retention.parse(body.decisions()), body.reason()));
            }),
        Route.post(
            "/v1/decisions/prune",
            Access.OPERATOR,
            "Prune decision records past retention now (one workload or all; dry_run counts"
                + " only); each batch audited as decisions.prune",
            new PruneRequest("payments", true),
            call -> {
              PruneRequest body = call.body(PruneRequest.class);
              return Reply.ok(
                  new PruneRuns(
                      retention.prune(
                          call.principal(),
                          Optional.ofNullable(body.workload()),
                          Boolean.TRUE.equals(body.dryRun()))));
            }));
  }
}
