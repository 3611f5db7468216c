// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.http.Access;
import dev.arbiter.http.Call;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.report.EvidenceBundle;
import dev.arbiter.report.ExportSchedule;
import dev.arbiter.report.ExportSchedules;
import dev.arbiter.report.GovernanceReports;
import dev.arbiter.report.Report;
import dev.arbiter.report.VerificationKeys;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Governance evidence routes (auditor or operator): the report of a workload (or of every workload)
 * over a range, and a signed evidence bundle.
 */
public final class GovernanceRoutes {
  private final GovernanceReports reports;
  private final VerificationKeys keys;
  private final ServiceKey signer;
  private final ExportSchedules schedules;

  public GovernanceRoutes(
      GovernanceReports reports,
      VerificationKeys keys,
      ServiceKey signer,
      ExportSchedules schedules) {
    this.reports = reports;
    this.keys = keys;
    this.signer = signer;
    this.schedules = schedules;
  }

  /** A schedule request. */
  record ScheduleRequest(
      @JsonProperty(value = "every", required = true) String every,
      @JsonProperty(value = "directory", required = true) String directory,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record ScheduleList(@JsonProperty("schedules") List<ExportSchedule> schedules) {}

  /** The reports of every workload. */
  record AllReports(@JsonProperty("reports") List<Report> reports) {}

  /** An export: the bundle (base64 of the ZIP) and its manifest digest. */
  record Export(
      @JsonProperty("workload") String workload,
      @JsonProperty("manifest_sha256") String manifestSha256,
      @JsonProperty("bundle") String bundle) {}

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/v1/governance/report",
            Access.AUDIT,
            "Governance report per expectation row (?workload=W&from=T&to=T; no workload: every"
                + " workload)",
            call -> {
              GovernanceReports.Range range = range(call);
              Optional<String> workload = call.query("workload");
              if (workload.isPresent()) {
                return Reply.ok(reports.report(workload.get(), range));
              }
              return Reply.ok(
                  new AllReports(
                      reports.workloads().stream().map(w -> reports.report(w, range)).toList()));
            }),
        Route.get(
            "/v1/governance/export",
            Access.AUDIT,
            "Signed evidence bundle of a workload (?workload=W&from=T&to=T), base64 ZIP",
            call -> {
              String workload =
                  call.query("workload")
                      .orElseThrow(() ->
                          new dev.arbiter.problem.ProblemException(
                              dev.arbiter.report.ReportProblem.REPORT_WORKLOAD_REQUIRED,
                              "pass ?workload=W"));
              EvidenceBundle.Written written =
                  EvidenceBundle.export(reports, keys, signer, workload, range(call));
              return Reply.ok(
                  new Export(
                      workload,
                      written.manifestSha256(),
                      Base64.getEncoder().encodeToString(written.zip())));
            }),
        Route.put(
            "/v1/governance/schedules/{workload}",
            Access.OPERATOR,
            "Set a workload's periodic evidence export (every ISO-8601 period into a directory"
                + " under <data dir>/exports), audited",
            new ScheduleRequest("P30D", "monthly", "monthly evidence for the audit"),
            call -> {
              ScheduleRequest request = call.body(ScheduleRequest.class);
              return Reply.ok(
                  schedules.set(
                      call.principal(),
                      call.path("workload"),
                      request.every(),
                      request.directory(),
                      request.reason()));
            }),
        Route.get(
            "/v1/governance/schedules",
            Access.AUDIT,
            "Periodic evidence exports",
            call -> Reply.ok(new ScheduleList(schedules.list()))));
  }

  private GovernanceReports.Range range(Call call) {
    return GovernanceReports.Range.parse(
        call.query("from"), call.query("to"), reports.clock().instant());
  }
}
