// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console.http;

import dev.arbiter.auth.Principal;
import dev.arbiter.console.AuditPage;
import dev.arbiter.console.Csrf;
import dev.arbiter.console.DecisionsPage;
import dev.arbiter.console.Forms;
import dev.arbiter.console.GovernancePage;
import dev.arbiter.console.Html;
import dev.arbiter.console.Layout;
import dev.arbiter.console.OverviewPage;
import dev.arbiter.console.RolloutPage;
import dev.arbiter.console.WorkloadPage;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.http.Access;
import dev.arbiter.http.Call;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.report.EvidenceBundle;
import dev.arbiter.report.GovernanceReports;
import dev.arbiter.report.VerificationKeys;
import dev.arbiter.rollout.RolloutReports;
import dev.arbiter.rollout.RolloutService;
import dev.arbiter.store.Database;
import dev.arbiter.supplychain.SupplyChainService;
import dev.arbiter.tlog.LogStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web console under {@code /ui/}: server-rendered HTML pages over the same services as the REST
 * API, for client certificates of any role (auditors read only; the audit pages, as {@code GET
 * /v1/audit}, for operators and auditors). State changes are form POSTs checked for origin and CSRF
 * token, then the same audited service calls as the API. Every answer carries a strict
 * Content-Security-Policy (no inline script or style) and refuses framing.
 */
public final class ConsoleRoutes {
  /** The security headers of every console answer. */
  static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
              + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none';"
              + " object-src 'none'",
          "X-Frame-Options",
          "DENY",
          "X-Content-Type-Options",
          "nosniff",
          // not no-referrer: under it browsers send "Origin: null" with form posts, and the origin
          // check needs the real one
          "Referrer-Policy",
          "same-origin",
          "Cross-Origin-Opener-Policy",
          "same-origin");

  private static final String HTML = "text/html; charset=utf-8";
  private static final long MAX_FORM = 16 * 1024;

  private final Csrf csrf;
  private final Assets assets = new Assets();
  private final OverviewPage overview;
  private final WorkloadPage workload;
  private final RolloutPage rollout;
  private final DecisionsPage decisions;
  private final AuditPage audit;
  private final GovernancePage governance;
  private final GovernanceReports reports;
  private final VerificationKeys keys;
  private final ServiceKey signer;
  private final RolloutService rollouts;

  public ConsoleRoutes(
      PolicyService policies,
      RolloutService rollouts,
      RolloutReports reports,
      SupplyChainService supplyChain,
      LogStore log,
      Database database,
      KeyRing keyRing,
      GovernanceReports governanceReports,
      ServiceKey signer,
      byte[] csrfSecret,
      Clock clock) {
    this.csrf = new Csrf(csrfSecret);
    this.rollouts = rollouts;
    this.overview = new OverviewPage(policies, reports, supplyChain, clock);
    this.workload = new WorkloadPage(policies, rollouts, supplyChain);
    this.rollout = new RolloutPage(reports, rollouts);
    this.decisions = new DecisionsPage(log);
    this.audit = new AuditPage(database, keyRing);
    this.governance = new GovernancePage(governanceReports);
    this.reports = governanceReports;
    this.keys = VerificationKeys.ofKeyRing(keyRing);
    this.signer = signer;
  }

  public List<Route> routes() {
    String rolloutPath = "/ui/workloads/{workload}/rollout";
    return List.of(
        Route.get(
            "/ui",
            Access.READ,
            "Console: redirects to /ui/",
            call -> new Reply(303, null, null, HEADERS).withHeader("Location", "/ui/")),
        Route.get(
            "/ui/",
            Access.READ,
            "Console: overview of every workload (HTML)",
            call -> page(call, "Overview", "overview", () -> overview.render())),
        Route.get(
            "/ui/assets/{name}",
            Access.READ,
            "Console: static files (htmx, uPlot, the console's CSS and script)",
            this::asset),
        Route.get(
            "/ui/workloads/{workload}",
            Access.READ,
            "Console: one workload's revisions, versions and rollouts (HTML)",
            call -> {
              Map<String, String> query = Forms.query(call.requestUri());
              return page(
                  call,
                  call.path("workload"),
                  "overview",
                  () ->
                      workload.render(call.path("workload"), seq(query, "from"), seq(query, "to")));
            }),
        Route.get(
            rolloutPath,
            Access.READ,
            "Console: the latest rollout of a workload, live (HTML)",
            call -> {
              Optional<String> notice =
                  Optional.ofNullable(Forms.query(call.requestUri()).get("done"))
                      .map(done ->
                          switch (done) {
                            case "complete" -> "The rollout was completed.";
                            case "abort" -> "The rollout was aborted.";
                            default -> "Done.";
                          });
              Principal who = call.principal();
              return page(
                  call,
                  "Rollout of " + call.path("workload"),
                  "overview",
                  () -> rollout.render(call.path("workload"), who, csrf.token(who), notice));
            }),
        Route.get(
            rolloutPath + "/live",
            Access.READ,
            "Console: the live part of the rollout page (HTML fragment, polled)",
            call -> fragment(() -> rollout.live(call.path("workload")))),
        Route.post(
                rolloutPath + "/complete",
                Access.PIPELINE,
                "Console: complete the rollout (form: csrf, reason, confirm)",
                null,
                call -> act(call, "complete"))
            .withConsumes(Route.FORM)
            .withMaxBody(MAX_FORM),
        Route.post(
                rolloutPath + "/abort",
                Access.PIPELINE,
                "Console: abort the rollout (form: csrf, reason, confirm)",
                null,
                call -> act(call, "abort"))
            .withConsumes(Route.FORM)
            .withMaxBody(MAX_FORM),
        Route.get(
            "/ui/decisions",
            Access.READ,
            "Console: search attestation decisions (HTML)",
            call ->
                page(
                    call,
                    "Decisions",
                    "decisions",
                    () -> decisions.render(Forms.query(call.requestUri())))),
        Route.get(
            "/ui/audit",
            Access.AUDIT,
            "Console: the audit log and its verification (HTML)",
            call -> {
              Map<String, String> query = Forms.query(call.requestUri());
              long after = seq(query, "after").orElse(0L);
              return page(
                  call,
                  "Audit",
                  "audit",
                  () -> audit.render(after, Optional.ofNullable(query.get("target"))));
            }),
        Route.get(
            "/ui/governance",
            Access.AUDIT,
            "Console: the governance report of a workload (HTML)",
            call ->
                page(
                    call,
                    "Governance",
                    "governance",
                    () ->
                        governance.render(
                            Optional.ofNullable(Forms.query(call.requestUri()).get("workload"))))),
        Route.get(
            "/ui/governance/export",
            Access.AUDIT,
            "Console: download a workload's signed evidence bundle (ZIP)",
            call -> {
              String name = Forms.query(call.requestUri()).get("workload");
              if (name == null) {
                throw new ProblemException(
                    dev.arbiter.report.ReportProblem.REPORT_WORKLOAD_REQUIRED, "pass ?workload=W");
              }
              EvidenceBundle.Written written =
                  EvidenceBundle.export(
                      reports,
                      keys,
                      signer,
                      name,
                      GovernanceReports.Range.parse(
                          Optional.empty(), Optional.empty(), reports.clock().instant()));
              Map<String, String> headers = new java.util.LinkedHashMap<>(HEADERS);
              headers.put(
                  "Content-Disposition",
                  "attachment; filename=\"evidence-"
                      + name.replaceAll("[^A-Za-z0-9._-]", "_")
                      + ".zip\"");
              return new Reply(200, written.zip(), "application/zip", headers);
            }),
        Route.get(
            "/ui/audit/verify",
            Access.AUDIT,
            "Console: re-verify every chain (HTML fragment)",
            call -> {
              if (call.header("HX-Request").isPresent()) {
                return fragment(audit::verification);
              }
              return page(call, "Audit verification", "audit", audit::verification);
            }));
  }

  /** Renders main content inside the layout; a refusal becomes an HTML page with its status. */
  private static Reply page(Call call, String title, String active, Render render) {
    Principal who = call.principal();
    try {
      return html(200, Layout.page(title, who, active, render.html()));
    } catch (ProblemException e) {
      return error(who, e);
    }
  }

  private static Reply fragment(Render render) {
    try {
      return html(200, render.html());
    } catch (ProblemException e) {
      return html(
          e.problem().type().status(),
          "<p class=\"bad\" role=\"alert\">" + Html.esc(e.problem().detail()) + "</p>");
    }
  }

  private static Reply error(Principal who, ProblemException e) {
    int status = e.problem().type().status();
    String main =
        "<h1>"
            + Html.esc(e.problem().type().meaning())
            + "</h1>\n<p role=\"alert\" class=\"bad\">"
            + Html.esc(e.problem().detail())
            + "</p>\n<p class=\"muted\">"
            + status
            + " · <code>"
            + Html.esc(e.problem().type().uri())
            + "</code></p>\n<p><a href=\"/ui/\">Back to the overview</a></p>";
    return html(status, Layout.page("Error", who, "", main));
  }

  private static Reply html(int status, String body) {
    return new Reply(status, body.getBytes(StandardCharsets.UTF_8), HTML, HEADERS);
  }

  private Reply asset(Call call) {
    return assets
        .get(call.path("name"))
        .map(asset -> new Reply(200, asset.bytes(), asset.contentType(), HEADERS))
        .orElseThrow(() -> new ProblemException(CommonProblem.NOT_FOUND, "no such asset"));
  }

  /**
   * Completes or aborts the rollout: same origin, the caller's CSRF token, a reason and the
   * confirmation, then the audited service call the API makes; answers with a redirect to the
   * rollout page (post/redirect/get).
   */
  private Reply act(Call call, String action) {
    Principal who = call.principal();
    if (!Csrf.sameOrigin(call.header("Origin"), call.header("Host"))) {
      throw new ProblemException(
          CommonProblem.FORBIDDEN,
          "cross-origin form refused: the Origin header must be this server");
    }
    Map<String, String> form = Forms.parse(new String(call.rawBody(), StandardCharsets.UTF_8));
    if (!csrf.valid(who, Optional.ofNullable(form.get(Csrf.FIELD)))) {
      throw new ProblemException(
          CommonProblem.FORBIDDEN, "missing or wrong CSRF token: reload the page and try again");
    }
    String workloadName = call.path("workload");
    try {
      String reason = Optional.ofNullable(form.get("reason")).map(String::strip).orElse("");
      if (reason.isEmpty()) {
        throw new ProblemException(CommonProblem.INVALID_FIELD, "a reason is required");
      }
      if (!"yes".equals(form.get("confirm"))) {
        throw new ProblemException(
            CommonProblem.INVALID_FIELD, "tick the confirmation to " + action + " the rollout");
      }
      if (action.equals("complete")) {
        rollouts.complete(who, workloadName, reason);
      } else {
        rollouts.abort(who, workloadName, reason, false);
      }
    } catch (ProblemException e) {
      return error(who, e);
    }
    return new Reply(303, null, null, HEADERS)
        .withHeader(
            "Location", "/ui/workloads/" + Html.url(workloadName) + "/rollout?done=" + action);
  }

  private static Optional<Long> seq(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, name + " must be a number");
    }
  }

  /** Produces HTML; may throw a {@link ProblemException} (shown as an error page). */
  @FunctionalInterface
  private interface Render {
    String html();
  }
}
