// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.Documents;
import dev.arbiter.supplychain.SupplyChainService;
import java.util.List;
import java.util.Map;

/** Supply-chain routes: workload policies, admission checks, monitoring status, advisories. */
public final class SupplyChainRoutes {
  private final SupplyChainService service;

  public SupplyChainRoutes(SupplyChainService service) {
    this.service = service;
  }

  record SetPolicy(
      @JsonProperty(value = "policy", required = true) JsonNode policy,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record Import(
      @JsonProperty("records") JsonNode records,
      @JsonProperty("zip") String zip,
      @JsonProperty("source") String source) {}

  public List<Route> routes() {
    return List.of(
        Route.put(
            "/v1/workloads/{workload}/supply-chain",
            Access.OPERATOR,
            "Set the workload's supply-chain policy (builders, signers, keys, quorum, CEL over"
                + " provenance, vulnerability policy)",
            Map.of(
                "policy",
                Map.of(
                    "builder_ids",
                    List.of(
                        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/tags/v2.1.0"),
                    "signer_identities",
                    List.of(
                        "^https://github\\.com/example/app/\\.github/workflows/release\\.yml@refs/tags/v.*$"),
                    "oidc_issuers",
                    List.of("https://token.actions.githubusercontent.com"),
                    "quorum",
                    2,
                    "cel",
                    "provenance.buildDefinition.externalParameters.workflow.repository =="
                        + " 'https://github.com/example/app'",
                    "vulnerabilities",
                    Map.of("block_at_cvss", 9.0, "block_severities", List.of("CRITICAL")),
                    "phase_out_objective",
                    "critical",
                    "derive",
                    List.of(
                        Map.of(
                            "scheme", "sample", "claim", "measurement", "from", "subject-digest"))),
                "reason",
                "release policy v3"),
            call -> {
              SetPolicy body = call.body(SetPolicy.class);
              return Reply.ok(
                  service.setPolicy(
                      call.principal(), call.path("workload"), body.policy(), body.reason()));
            }),
        Route.get(
            "/v1/workloads/{workload}/supply-chain",
            Access.READ,
            "The workload's supply-chain policy",
            call -> Reply.ok(service.policy(call.path("workload")))),
        Route.get(
            "/v1/workloads/{workload}/supply-chain/status",
            Access.READ,
            "Vulnerability findings of the workload's versions and their phase-out obligations",
            call -> Reply.ok(service.status(call.path("workload")))),
        Route.get(
            "/v1/workloads/{workload}/versions/{version}/check",
            Access.READ,
            "Admission verdict of a version under the current supply-chain policy and advisories,"
                + " with every reason",
            call -> Reply.ok(service.check(call.path("workload"), call.path("version")))),
        Route.post(
                "/v1/advisories",
                Access.OPERATOR,
                "Import OSV records (JSON records, or a base64 zip export); re-scans every"
                    + " version's SBOM",
                Map.of(
                    "records",
                    List.of(
                        Map.of("id", "GHSA-xxxx-xxxx-xxxx", "modified", "2026-01-01T00:00:00Z")),
                    "source",
                    "osv-export.zip"),
                call -> {
                  Import body = call.body(Import.class);
                  String source =
                      body.source() == null || body.source().isBlank()
                          ? "request"
                          : body.source().strip();
                  if ((body.records() == null) == (body.zip() == null)) {
                    throw new ProblemException(
                        CommonProblem.INVALID_FIELD,
                        "give exactly one of records (OSV JSON) and zip (base64)");
                  }
                  if (body.zip() != null) {
                    byte[] zip =
                        Documents.one(
                                com.fasterxml.jackson.databind.node.TextNode.valueOf(body.zip()),
                                "zip")
                            .orElseThrow();
                    return Reply.ok(service.importZip(call.principal(), zip, source));
                  }
                  return Reply.ok(service.importJson(call.principal(), body.records(), source));
                })
            .withMaxBody(64L * 1024 * 1024),
        Route.get(
            "/v1/advisories",
            Access.READ,
            "Counts of stored advisories and recent imports",
            call -> Reply.ok(service.advisorySummary())));
  }
}
