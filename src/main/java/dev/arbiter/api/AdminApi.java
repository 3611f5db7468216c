// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.policy.Workload;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.Documents;
import dev.arbiter.supplychain.SupplyChainService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admin routes for workloads, versions, Verifier policies and the audit log. */
public final class AdminApi {
  private final PolicyService policies;
  private final SupplyChainService supplyChain;

  public AdminApi(PolicyService policies) {
    this(policies, null);
  }

  /** @param supplyChain version admission (provenance, SBOM); null registers versions without it */
  public AdminApi(PolicyService policies, SupplyChainService supplyChain) {
    this.policies = policies;
    this.supplyChain = supplyChain;
  }

  record CreateWorkload(@JsonProperty(value = "name", required = true) String name, @JsonProperty("owner") String owner,
      @JsonProperty("objectives") JsonNode objectives) {}

  record SetObjectives(@JsonProperty(value = "objectives", required = true) JsonNode objectives,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record RegisterVersion(@JsonProperty(value = "version", required = true) String version,
      @JsonProperty("reference_values") JsonNode referenceValues,
      @JsonProperty("digest") String digest,
      @JsonProperty("provenance") JsonNode provenance,
      @JsonProperty("sbom") JsonNode sbom) {}

  record VersionChange(@JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "reason", required = true) String reason, @JsonProperty("base_revision") String baseRevision) {}

  record SetAppraisal(@JsonProperty(value = "cel", required = true) String cel,
      @JsonProperty(value = "reason", required = true) String reason, @JsonProperty("base_revision") String baseRevision) {}

  record SetEndorsements(@JsonProperty(value = "endorsements", required = true) JsonNode endorsements,
      @JsonProperty(value = "reason", required = true) String reason, @JsonProperty("base_revision") String baseRevision) {}

  public List<Route> routes() {
    return List.of(
        Route.post("/v1/workloads", Access.OPERATOR, "Create a workload",
            Map.of("name", "payments", "owner", "team-payments", "objectives", Map.of("critical", Map.of("deadline", "PT72H", "on_deadline", "revoke"))),
            call -> {
              CreateWorkload body = call.body(CreateWorkload.class);
              return Reply.created(workloadJson(policies.createWorkload(call.principal(), body.name(), body.owner(), body.objectives())));
            }),
        Route.get("/v1/workloads", Access.READ, "List workloads",
            call -> Reply.ok(Map.of("workloads", policies.listWorkloads().stream().map(AdminApi::workloadJson).toList()))),
        Route.get("/v1/workloads/{workload}", Access.READ, "Get a workload with its current policy",
            call -> {
              Workload workload = policies.workload(call.path("workload"));
              Map<String, Object> out = workloadJson(workload);
              out.put("policy", revisionJson(policies.current(workload.name())));
              return Reply.ok(out);
            }),
        Route.put("/v1/workloads/{workload}/objectives", Access.OPERATOR, "Set control objectives",
            Map.of("objectives", Map.of("critical", Map.of("deadline", "PT72H", "on_deadline", "revoke")), "reason", "SOC2 CC7.1"),
            call -> {
              SetObjectives body = call.body(SetObjectives.class);
              return Reply.ok(workloadJson(policies.setObjectives(call.principal(), call.path("workload"), body.objectives(), body.reason())));
            }),
        Route.post("/v1/workloads/{workload}/versions", Access.PIPELINE,
            "Register an immutable version (idempotent), admitted under the workload's supply-chain policy (provenance, SBOM: base64 or JSON)",
            Map.of("version", "1.4.2", "reference_values", Map.of("sample", Map.of("measurement", "ab12")), "digest", "sha256:" + "0".repeat(64),
                "provenance", List.of("<base64 DSSE envelope or Sigstore bundle>"), "sbom", "<base64 CycloneDX or SPDX JSON>"),
            call -> {
              RegisterVersion body = call.body(RegisterVersion.class);
              var registration = supplyChain == null
                  ? policies.registerVersion(call.principal(), call.path("workload"), body.version(), body.referenceValues(),
                      Optional.ofNullable(body.digest()))
                  : supplyChain.register(call.principal(), call.path("workload"), body.version(), body.referenceValues(),
                      Optional.ofNullable(body.digest()), Documents.list(body.provenance(), "provenance"), Documents.one(body.sbom(), "sbom"));
              Map<String, Object> out = versionJson(registration.version());
              out.put("created", registration.created());
              return registration.created() ? Reply.created(out) : Reply.ok(out);
            }).withMaxBody(32L * 1024 * 1024),
        Route.get("/v1/workloads/{workload}/versions", Access.READ, "List versions",
            call -> Reply.ok(Map.of("versions", policies.versions(call.path("workload")).stream().map(AdminApi::versionJson).toList()))),
        Route.get("/v1/workloads/{workload}/versions/{version}", Access.READ, "Get a version",
            call -> Reply.ok(versionJson(policies.version(call.path("workload"), call.path("version"))))),
        Route.get("/v1/workloads/{workload}/policy", Access.READ, "Current policy revision",
            call -> Reply.ok(revisionJson(policies.current(call.path("workload"))))),
        Route.get("/v1/workloads/{workload}/policy/revisions", Access.READ, "All policy revisions, oldest first",
            call -> Reply.ok(Map.of("revisions", policies.revisions(call.path("workload")).stream().map(AdminApi::revisionJson).toList()))),
        Route.get("/v1/workloads/{workload}/policy/revisions/{seq}", Access.READ, "One policy revision",
            call -> Reply.ok(revisionJson(policies.revision(call.path("workload"), parseSeq(call.path("seq")))))),
        Route.get("/v1/workloads/{workload}/policy/diff", Access.READ, "Differences between two revisions (?from=&to=)",
            call -> Reply.ok(policies.diff(call.path("workload"), requiredSeq(call, "from"), requiredSeq(call, "to")))),
        Route.post("/v1/workloads/{workload}/policy/accept", Access.OPERATOR, "Add a version to the accepted set (direct, audited edit)",
            Map.of("version", "1.4.2", "reason", "hotfix approved in CAB-123"),
            call -> {
              VersionChange body = call.body(VersionChange.class);
              return Reply.ok(revisionJson(policies.accept(call.principal(), call.path("workload"), body.version(), body.reason(),
                  Optional.ofNullable(body.baseRevision()))));
            }),
        Route.post("/v1/workloads/{workload}/policy/revoke", Access.OPERATOR, "Remove a version from the accepted set and mark it revoked",
            Map.of("version", "1.4.1", "reason", "CVE-2026-1234"),
            call -> {
              VersionChange body = call.body(VersionChange.class);
              return Reply.ok(revisionJson(policies.revoke(call.principal(), call.path("workload"), body.version(), body.reason(),
                  Optional.ofNullable(body.baseRevision()))));
            }),
        Route.put("/v1/workloads/{workload}/policy/appraisal", Access.OPERATOR, "Set the CEL appraisal policy",
            Map.of("cel", "claims.debug_allowed == false", "reason", "no debug VMs"),
            call -> {
              SetAppraisal body = call.body(SetAppraisal.class);
              return Reply.ok(revisionJson(policies.setAppraisal(call.principal(), call.path("workload"), body.cel(), body.reason(),
                  Optional.ofNullable(body.baseRevision()))));
            }),
        Route.put("/v1/workloads/{workload}/policy/endorsements", Access.OPERATOR, "Set endorsements",
            Map.of("endorsements", Map.of(), "reason", "initial"),
            call -> {
              SetEndorsements body = call.body(SetEndorsements.class);
              return Reply.ok(revisionJson(policies.setEndorsements(call.principal(), call.path("workload"), body.endorsements(),
                  body.reason(), Optional.ofNullable(body.baseRevision()))));
            }),
        Route.get("/v1/audit", Access.AUDIT, "Audit records (?after=SEQ&limit=N&target=T)",
            call -> {
              long after = call.queryLong("after", 0);
              int limit = (int) Math.max(1, Math.min(1000, call.queryLong("limit", 100)));
              List<AuditRecord> records = policies.jdbi().withHandle(h -> AuditLog.list(h, after, limit, call.query("target")));
              return Reply.ok(Map.of("records", records.stream().map(AdminApi::auditJson).toList()));
            }),
        Route.get("/v1/audit/verify", Access.AUDIT, "Re-verify every hash link and signature",
            call -> {
              IntegrityCheck.Report report = IntegrityCheck.run(policies.jdbi());
              return Reply.ok(reportJson(report));
            }));
  }

  public static Map<String, Object> reportJson(IntegrityCheck.Report report) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("intact", report.intact());
    out.put("revisions_checked", report.revisionsChecked());
    out.put("audit_records_checked", report.auditRecordsChecked());
    out.put("findings", report.findings().stream()
        .map(f -> Map.of("table", f.table(), "record", f.record(), "problem", f.problem())).toList());
    return out;
  }

  private static long requiredSeq(Call call, String name) {
    return parseSeq(call.query(name).orElseThrow(() -> new ProblemException(CommonProblem.INVALID_FIELD, "query parameter " + name + " is required")));
  }

  private static long parseSeq(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, "a revision number must be an integer: " + text);
    }
  }

  static Map<String, Object> workloadJson(Workload workload) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", workload.name());
    out.put("owner", workload.owner());
    out.put("objectives", workload.objectives());
    out.put("created_at", workload.createdAt().toString());
    out.put("created_by", workload.createdBy());
    return out;
  }

  static Map<String, Object> versionJson(Version version) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workload", version.workload());
    out.put("version", version.label());
    out.put("content_hash", version.contentHash());
    out.put("revoked", version.revoked());
    out.put("created_at", version.createdAt().toString());
    out.put("created_by", version.createdBy());
    out.put("content", version.content());
    return out;
  }

  public static Map<String, Object> revisionJson(PolicyRevision revision) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workload", revision.workload());
    out.put("seq", revision.seq());
    out.put("hash", revision.hash());
    out.put("prev", revision.prev());
    out.put("accepted", revision.acceptedLabels());
    out.put("key_id", revision.keyId());
    out.put("signature", revision.signature());
    out.put("body", revision.body());
    return out;
  }

  static Map<String, Object> auditJson(AuditRecord record) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", record.seq());
    out.put("hash", record.hash());
    out.put("prev", record.prev());
    out.put("key_id", record.keyId());
    out.put("signature", record.signature());
    out.put("body", record.body());
    return out;
  }
}
