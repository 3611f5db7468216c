// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Database;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server's own open routes: liveness, published keys, metrics, and the OpenAPI document of all
 * routes.
 */
final class SystemRoutes {
  private final Database database;
  private final Supplier<JWKSet> jwks;
  private final Metrics metrics;
  private final Supplier<List<String>> notReady;
  private final Supplier<List<String>> degraded;

  /**
   * @param notReady what keeps this replica from serving (empty: ready)
   */
  SystemRoutes(
      Database database,
      Supplier<JWKSet> jwks,
      Metrics metrics,
      Supplier<List<String>> notReady,
      Supplier<List<String>> degraded) {
    this.database = database;
    this.degraded = degraded;
    this.jwks = jwks;
    this.metrics = metrics;
    this.notReady = notReady;
  }

  record Health(String status) {}

  /** These routes plus {@code /v1/openapi.json} describing {@code domainRoutes} and these. */
  List<Route> routes(List<Route> domainRoutes) {
    List<Route> all = new ArrayList<>(domainRoutes);
    all.add(
        Route.get(
            "/healthz",
            Access.OPEN,
            "Liveness and database reachability",
            call -> {
              database.ping();
              return Reply.ok(new Health("ok"));
            }));
    all.add(
        Route.get(
            "/readyz",
            Access.OPEN,
            "Readiness to attest: policy cache loaded, transparency log healthy (503 problem"
                + " otherwise); an unreachable database only degrades (status lists it)",
            call -> {
              List<String> problems = notReady.get();
              if (!problems.isEmpty()) {
                throw new ProblemException(
                    CommonProblem.UNAVAILABLE, "not ready: " + String.join("; ", problems));
              }
              List<String> limits = degraded.get();
              return Reply.ok(
                  new Health(
                      limits.isEmpty() ? "ready" : "degraded: " + String.join("; ", limits)));
            }));
    all.add(
        Route.get(
            "/.well-known/jwks.json",
            Access.OPEN,
            "Public keys that sign Attestation Results and policy revisions",
            call -> Reply.ok(jwks.get().toJSONObject(true))));
    all.add(
        Route.get(
            "/metrics",
            Access.OPEN,
            "Prometheus metrics",
            call ->
                Reply.raw(
                    200,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8),
                    "text/plain; version=0.0.4; charset=utf-8")));
    all.add(
        Route.get(
            "/v1/openapi.json",
            Access.OPEN,
            "This OpenAPI 3.1 document",
            call -> Reply.ok(ArbiterServer.openApi(all))));
    return List.copyOf(all);
  }
}
