// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.http.Access;
import dev.arbiter.http.Call;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.policy.Workload;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.Documents;
import dev.arbiter.supplychain.SupplyChainService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admin routes for workloads, versions and Verifier policies. */
public final class PolicyRoutes {
  /** Appraisals a dry run evaluates when the request does not say. */
  static final int DEFAULT_PREVIEW = 100;

  private final PolicyService policies;
  private final SupplyChainService supplyChain;

  public PolicyRoutes(PolicyService policies) {
    this(policies, null);
  }

  /**
   * @param supplyChain version admission (provenance, SBOM); null registers versions without it
   */
  public PolicyRoutes(PolicyService policies, SupplyChainService supplyChain) {
    this.policies = policies;
    this.supplyChain = supplyChain;
  }

  record CreateWorkload(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("owner") String owner,
      @JsonProperty("objectives") JsonNode objectives) {}

  record SetObjectives(
      @JsonProperty(value = "objectives", required = true) JsonNode objectives,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record SetRetention(
      @JsonProperty("decisions") String decisions,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record RegisterVersion(
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty("reference_values") JsonNode referenceValues,
      @JsonProperty("digest") String digest,
      @JsonProperty("provenance") JsonNode provenance,
      @JsonProperty("sbom") JsonNode sbom) {}

  record VersionChange(
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "reason", required = true) String reason,
      @JsonProperty("base_revision") String baseRevision) {}

  record SetAppraisal(
      @JsonProperty(value = "cel", required = true) String cel,
      @JsonProperty(value = "reason", required = true) String reason,
      @JsonProperty("base_revision") String baseRevision) {}

  record PreviewAppraisal(
      @JsonProperty(value = "cel", required = true) String cel,
      @JsonProperty("last") Integer last,
      @JsonProperty("since") String since) {}

  record SetEndorsements(
      @JsonProperty(value = "endorsements", required = true) JsonNode endorsements,
      @JsonProperty(value = "reason", required = true) String reason,
      @JsonProperty("base_revision") String baseRevision) {}

  record WorkloadList(List<WorkloadView> workloads) {}

  record VersionList(List<VersionView> versions) {}

  record RevisionList(List<RevisionView> revisions) {}

  public List<Route> routes() {
    return List.of(
        Route.post(
            "/v1/workloads",
            Access.OPERATOR,
            "Create a workload",
            Map.of(
                "name",
                "payments",
                "owner",
                "team-payments",
                "objectives",
                Map.of("critical", Map.of("deadline", "PT72H", "on_deadline", "revoke"))),
            call -> {
              CreateWorkload body = call.body(CreateWorkload.class);
              return Reply.created(
                  workloadJson(
                      policies.createWorkload(
                          call.principal(), body.name(), body.owner(), body.objectives())));
            }),
        Route.get(
            "/v1/workloads",
            Access.READ,
            "List workloads",
            call ->
                Reply.ok(
                    new WorkloadList(
                        policies.listWorkloads().stream()
                            .map(PolicyRoutes::workloadJson)
                            .toList()))),
        Route.get(
            "/v1/workloads/{workload}",
            Access.READ,
            "Get a workload with its current policy",
            call -> {
              Workload workload = policies.workload(call.path("workload"));
              return Reply.ok(
                  WorkloadView.of(workload, revisionJson(policies.current(workload.name()))));
            }),
        Route.put(
            "/v1/workloads/{workload}/objectives",
            Access.OPERATOR,
            "Set control objectives",
            Map.of(
                "objectives",
                Map.of("critical", Map.of("deadline", "PT72H", "on_deadline", "revoke")),
                "reason",
                "SOC2 CC7.1"),
            call -> {
              SetObjectives body = call.body(SetObjectives.class);
              return Reply.ok(
                  workloadJson(
                      policies.setObjectives(
                          call.principal(),
                          call.path("workload"),
                          body.objectives(),
                          body.reason())));
            }),
        Route.put(
            "/v1/workloads/{workload}/retention",
            Access.OPERATOR,
            "Set how long the workload's decision records are kept (decisions: forever, 90d, P90D;"
                + " null: the server-wide default); pruning keeps each version's first decision",
            Map.of("decisions", "P90D", "reason", "records policy RP-7: 90 days"),
            call -> {
              SetRetention body = call.body(SetRetention.class);
              Optional<dev.arbiter.policy.Retention> retention =
                  Optional.ofNullable(body.decisions()).map(dev.arbiter.policy.Retention::parse);
              return Reply.ok(
                  workloadJson(
                      policies.setDecisionRetention(
                          call.principal(), call.path("workload"), retention, body.reason())));
            }),
        Route.post(
                "/v1/workloads/{workload}/versions",
                Access.PIPELINE,
                "Register an immutable version (idempotent), admitted under the workload's"
                    + " supply-chain policy (provenance, SBOM: base64 or JSON)",
                Map.of(
                    "version",
                    "1.4.2",
                    "reference_values",
                    Map.of("sample", Map.of("measurement", "ab12")),
                    "digest",
                    "sha256:" + "0".repeat(64),
                    "provenance",
                    List.of("<base64 DSSE envelope or Sigstore bundle>"),
                    "sbom",
                    "<base64 CycloneDX or SPDX JSON>"),
                call -> {
                  RegisterVersion body = call.body(RegisterVersion.class);
                  var registration =
                      supplyChain == null
                          ? policies.registerVersion(
                              call.principal(),
                              call.path("workload"),
                              body.version(),
                              body.referenceValues(),
                              Optional.ofNullable(body.digest()))
                          : supplyChain.register(
                              call.principal(),
                              call.path("workload"),
                              body.version(),
                              body.referenceValues(),
                              Optional.ofNullable(body.digest()),
                              Documents.list(body.provenance(), "provenance"),
                              Documents.one(body.sbom(), "sbom"));
                  VersionView out = VersionView.of(registration.version(), registration.created());
                  return registration.created() ? Reply.created(out) : Reply.ok(out);
                })
            .withMaxBody(32L * 1024 * 1024),
        Route.get(
            "/v1/workloads/{workload}/versions",
            Access.READ,
            "List versions",
            call ->
                Reply.ok(
                    new VersionList(
                        policies.versions(call.path("workload")).stream()
                            .map(PolicyRoutes::versionJson)
                            .toList()))),
        Route.get(
            "/v1/workloads/{workload}/versions/{version}",
            Access.READ,
            "Get a version",
            call ->
                Reply.ok(
                    versionJson(policies.version(call.path("workload"), call.path("version"))))),
        Route.get(
            "/v1/workloads/{workload}/policy",
            Access.READ,
            "Current policy revision",
            call -> Reply.ok(revisionJson(policies.current(call.path("workload"))))),
        Route.get(
            "/v1/workloads/{workload}/policy/revisions",
            Access.READ,
            "All policy revisions, oldest first",
            call ->
                Reply.ok(
                    new RevisionList(
                        policies.revisions(call.path("workload")).stream()
                            .map(PolicyRoutes::revisionJson)
                            .toList()))),
        Route.get(
            "/v1/workloads/{workload}/policy/revisions/{seq}",
            Access.READ,
            "One policy revision",
            call ->
                Reply.ok(
                    revisionJson(
                        policies.revision(call.path("workload"), parseSeq(call.path("seq")))))),
        Route.get(
            "/v1/workloads/{workload}/policy/diff",
            Access.READ,
            "Differences between two revisions (?from=&to=)",
            call ->
                Reply.ok(
                    policies.diff(
                        call.path("workload"),
                        requiredSeq(call, "from"),
                        requiredSeq(call, "to")))),
        Route.post(
            "/v1/workloads/{workload}/policy/accept",
            Access.OPERATOR,
            "Add a version to the accepted set (direct, audited edit)",
            Map.of("version", "1.4.2", "reason", "hotfix approved in CAB-123"),
            call -> {
              VersionChange body = call.body(VersionChange.class);
              return Reply.ok(
                  revisionJson(
                      policies.accept(
                          call.principal(),
                          call.path("workload"),
                          body.version(),
                          body.reason(),
                          Optional.ofNullable(body.baseRevision()))));
            }),
        Route.post(
            "/v1/workloads/{workload}/policy/revoke",
            Access.OPERATOR,
            "Remove a version from the accepted set and mark it revoked",
            Map.of("version", "1.4.1", "reason", "CVE-2026-1234"),
            call -> {
              VersionChange body = call.body(VersionChange.class);
              return Reply.ok(
                  revisionJson(
                      policies.revoke(
                          call.principal(),
                          call.path("workload"),
                          body.version(),
                          body.reason(),
                          Optional.ofNullable(body.baseRevision()))));
            }),
        Route.put(
            "/v1/workloads/{workload}/policy/appraisal",
            Access.OPERATOR,
            "Set the CEL appraisal policy",
            Map.of("cel", "claims.debug_allowed == false", "reason", "no debug VMs"),
            call -> {
              SetAppraisal body = call.body(SetAppraisal.class);
              return Reply.ok(
                  revisionJson(
                      policies.setAppraisal(
                          call.principal(),
                          call.path("workload"),
                          body.cel(),
                          body.reason(),
                          Optional.ofNullable(body.baseRevision()))));
            }),
        Route.post(
            "/v1/workloads/{workload}/policy/appraisal/preview",
            Access.OPERATOR,
            "Dry run of a proposed CEL appraisal policy over the workload's recent appraisals (the"
                + " latest of each instance; last: at most "
                + PolicyService.MAX_PREVIEW
                + ", default "
                + DEFAULT_PREVIEW
                + "; since: an ISO-8601 duration): how many would pass or fail against what"
                + " happened, and which instances would flip, with why. Changes nothing",
            Map.of("cel", "claims.debug_allowed == false", "last", 100, "since", "PT24H"),
            call -> {
              PreviewAppraisal body = call.body(PreviewAppraisal.class);
              return Reply.ok(
                  policies.previewAppraisal(
                      call.path("workload"),
                      body.cel(),
                      body.last() == null ? DEFAULT_PREVIEW : body.last(),
                      Optional.ofNullable(body.since()).map(PolicyRoutes::parseDuration)));
            }),
        Route.put(
            "/v1/workloads/{workload}/policy/endorsements",
            Access.OPERATOR,
            "Set endorsements",
            Map.of("endorsements", Map.of(), "reason", "initial"),
            call -> {
              SetEndorsements body = call.body(SetEndorsements.class);
              return Reply.ok(
                  revisionJson(
                      policies.setEndorsements(
                          call.principal(),
                          call.path("workload"),
                          body.endorsements(),
                          body.reason(),
                          Optional.ofNullable(body.baseRevision()))));
            }));
  }

  private static java.time.Duration parseDuration(String text) {
    try {
      return java.time.Duration.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ProblemException(
          CommonProblem.INVALID_FIELD, "since must be an ISO-8601 duration, e.g. PT24H");
    }
  }

  private static long requiredSeq(Call call, String name) {
    return parseSeq(
        call.query(name)
            .orElseThrow(() ->
                new ProblemException(
                    CommonProblem.INVALID_FIELD, "query parameter " + name + " is required")));
  }

  private static long parseSeq(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ProblemException(
          CommonProblem.INVALID_FIELD, "a revision number must be an integer: " + text);
    }
  }

  static WorkloadView workloadJson(Workload workload) {
    return WorkloadView.of(workload, null);
  }

  static VersionView versionJson(Version version) {
    return VersionView.of(version, null);
  }

  public static RevisionView revisionJson(PolicyRevision revision) {
    return RevisionView.of(revision);
  }
}
