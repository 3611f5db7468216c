// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.Role;
import dev.arbiter.testing.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console over HTTPS without a browser: access by certificate and role, security headers,
 * assets, and the checks on state-changing POSTs (origin, CSRF token, reason, confirmation).
 */
class ConsoleRoutesTest {
  private static final String WORKLOAD = "console-http";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.shared();
    ConsoleFixture.workloadWithRollout(server, WORKLOAD);
    ConsoleFixture.ok(ConsoleFixture.attest(server, WORKLOAD, "i-1", ConsoleFixture.M1));
  }

  @Test
  void withoutClientCertificate_isRefused401() {
    var response = server.anonymous().get("/ui/");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.problem()).isEqualTo("unauthenticated");
    assertThat(server.anonymous().get("/ui/assets/console.css").status()).isEqualTo(401);
  }

  @Test
  void overview_isHtmlWithAStrictContentSecurityPolicy() {
    var http = server.as(Role.AUDITOR, "console-auditor-headers");
    var response = http.sendRaw(HttpRequest.newBuilder(server.uri().resolve("/ui/")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    String csp = response.headers().firstValue("content-security-policy").orElseThrow();
    assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'", "script-src 'self'");
    assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(response.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(response.body())
        .contains("<h1>Overview</h1>", WORKLOAD, "Signed in as")
        .doesNotContain("<script>", "style=\"");
  }

  @Test
  void ui_withoutTrailingSlash_redirects() {
    var response =
        server.operator().sendRaw(HttpRequest.newBuilder(server.uri().resolve("/ui")).GET());
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("location")).hasValue("/ui/");
  }

  @Test
  void assets_comeFromArbiterItself() {
    var operator = server.operator();
    var htmx = operator.get("/ui/assets/htmx.min.js");
    assertThat(htmx.status()).isEqualTo(200);
    assertThat(htmx.contentType()).startsWith("text/javascript");
    assertThat(htmx.text()).contains("htmx");
    assertThat(operator.get("/ui/assets/uPlot.iife.min.js").text()).contains("uPlot");
    assertThat(operator.get("/ui/assets/nothing.js").status()).isEqualTo(404);
  }

  @Test
  void auditor_seesTheRolloutWithoutActions_andAForgedPostIsRefused403() {
    var auditor = server.as(Role.AUDITOR, "console-auditor");
    var page = auditor.get("/ui/workloads/" + WORKLOAD + "/rollout");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("Rollout #", "STAGED").doesNotContain("<form method=\"post\"");
    var forged =
        post(auditor, "/ui/workloads/" + WORKLOAD + "/rollout/abort", "reason=x&confirm=yes", true);
    assertThat(forged.status()).isEqualTo(403);
    assertThat(state()).isEqualTo("STAGED");
  }

  @Test
  void post_withoutOrWithAWrongCsrfToken_orFromAnotherOrigin_isRefused() {
    var operator = server.operator();
    String token =
        ConsoleFixture.csrfToken(operator.get("/ui/workloads/" + WORKLOAD + "/rollout").text());
    String path = "/ui/workloads/" + WORKLOAD + "/rollout/abort";
    var without = post(operator, path, "reason=forged&confirm=yes", true);
    assertThat(without.status()).isEqualTo(403);
    assertThat(without.text()).contains("CSRF");
    var wrong =
        post(operator, path, "csrf=" + token.substring(1) + "x&reason=forged&confirm=yes", true);
    assertThat(wrong.status()).isEqualTo(403);
    var otherUser =
        post(
            server.as(Role.OPERATOR, "console-other"),
            path,
            "csrf=" + token + "&reason=forged&confirm=yes",
            true);
    assertThat(otherUser.status()).as("a token is bound to its certificate").isEqualTo(403);
    var crossOrigin = post(operator, path, "csrf=" + token + "&reason=forged&confirm=yes", false);
    assertThat(crossOrigin.status()).isEqualTo(403);
    assertThat(crossOrigin.text()).contains("Origin");
    var noReason = post(operator, path, "csrf=" + token + "&confirm=yes", true);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.text()).contains("a reason is required");
    var unconfirmed = post(operator, path, "csrf=" + token + "&reason=why", true);
    assertThat(unconfirmed.status()).isEqualTo(400);
    assertThat(state()).isEqualTo("STAGED");
  }

  @Test
  void decisions_andAudit_render() {
    var operator = server.operator();
    var decisions = operator.get("/ui/decisions?workload=" + WORKLOAD + "&verdict=&instance=i-1");
    assertThat(decisions.status()).isEqualTo(200);
    assertThat(decisions.text()).contains("i-1", "affirming");
    assertThat(operator.get("/ui/decisions?verdict=maybe").status()).isEqualTo(400);
    assertThat(
            operator
                .get(
                    "/ui/decisions?workload="
                        + WORKLOAD
                        + "&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00")
                .text())
        .contains("i-1");
    assertThat(operator.get("/ui/decisions?workload=" + WORKLOAD + "&to=2000-01-01T00:00").text())
        .contains("0 decisions")
        .doesNotContain("i-1");
    assertThat(operator.get("/ui/decisions?from=yesterday").status()).isEqualTo(400);
    var audit = operator.get("/ui/audit/verify");
    assertThat(audit.status()).isEqualTo(200);
    assertThat(audit.text()).contains("Intact");
    assertThat(server.as(Role.PIPELINE, "console-pipeline").get("/ui/audit").status())
        .isEqualTo(403);
  }

  @Test
  void workload_showsRevisionsDiffAndVersions() {
    var page = server.operator().get("/ui/workloads/" + WORKLOAD);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text())
        .contains("Policy revisions", "initial deployment", "accepted <strong>2.0</strong>")
        .contains("Reference values", ConsoleFixture.M2, "release 2.0 for the console test");
    assertThat(server.operator().get("/ui/workloads/nope").status()).isEqualTo(404);
  }

  @Test
  void fixedVersions_comeFromTheStoredOsvRecord() {
    var record =
        java.util.Map.of(
            "id",
            "GHSA-cons-ole0-0001",
            "modified",
            "2026-01-02T00:00:00Z",
            "affected",
            java.util.List.of(
                java.util.Map.of(
                    "package",
                    java.util.Map.of("ecosystem", "npm", "name", "console-lib"),
                    "ranges",
                    java.util.List.of(
                        java.util.Map.of(
                            "type",
                            "SEMVER",
                            "events",
                            java.util.List.of(
                                java.util.Map.of("introduced", "0"),
                                java.util.Map.of("fixed", "1.4.2")))))));
    var imported =
        server
            .operator()
            .post(
                "/v1/advisories",
                java.util.Map.of("records", java.util.List.of(record), "source", "console-test"));
    assertThat(imported.status()).as(imported.text()).isEqualTo(200);
    assertThat(
            server
                .server()
                .services()
                .supplyChain()
                .fixedVersions(java.util.List.of("GHSA-cons-ole0-0001", "GHSA-none-0000-0000")))
        .containsEntry("GHSA-cons-ole0-0001", java.util.List.of("console-lib 1.4.2"))
        .containsEntry("GHSA-none-0000-0000", java.util.List.of());
  }

  @Test
  void attestationRates_countPerVersionAndBucket() {
    var reports = server.server().services().rolloutReports();
    ConsoleFixture.await(
        "the fleet recorder wrote the attestation",
        () ->
            reports
                .attestationRates(
                    WORKLOAD, java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(10))
                .containsKey("1.0"));
    var rates =
        reports.attestationRates(
            WORKLOAD, java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(10));
    var buckets = rates.get("1.0");
    assertThat(buckets.stream().mapToLong(b -> b.total()).sum()).isGreaterThanOrEqualTo(1);
    assertThat(buckets.stream().mapToLong(b -> b.failed()).sum()).isZero();
    assertThat(java.time.Instant.parse(buckets.get(0).start()).getEpochSecond() % 600).isZero();
  }

  private static String state() {
    return server
        .operator()
        .get("/v1/workloads/" + WORKLOAD + "/rollouts/current")
        .json()
        .path("rollout")
        .path("state")
        .asText();
  }

  private static TestServer.Response post(
      TestServer.Client client, String path, String form, boolean sameOrigin) {
    var request =
        HttpRequest.newBuilder(server.uri().resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", sameOrigin ? origin() : "https://evil.example")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    return client.send(request);
  }

  private static String origin() {
    return server.uri().toString();
  }

  @Test
  void governance_showsEveryExpectationRow_andDownloadsABundleThatVerifiesOffline()
      throws Exception {
    var auditor = server.as(Role.AUDITOR, "console-auditor-governance");
    var list = auditor.get("/ui/governance");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.text()).contains("/ui/governance?workload=" + WORKLOAD);
    var page = auditor.get("/ui/governance?workload=" + WORKLOAD);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    assertThat(page.text())
        .contains("id=\"governance-rows\"")
        .contains(">upgrade-7<")
        .contains(">12<")
        .contains(">15<")
        .contains("/ui/governance/export?workload=" + WORKLOAD);
    var download = auditor.getBytes("/ui/governance/export?workload=" + WORKLOAD);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("content-type")).hasValue("application/zip");
    assertThat(download.headers().firstValue("content-disposition").orElseThrow())
        .contains("attachment; filename=\"evidence-" + WORKLOAD + ".zip\"");
    var verified =
        dev.arbiter.report.BundleVerifier.verify(download.body(), java.util.Optional.empty());
    assertThat(verified.intact()).as(verified.toString()).isTrue();
    assertThat(verified.workload()).isEqualTo(WORKLOAD);
    // a pipeline sees neither the page nor the bundle (as the audit routes)
    var pipeline = server.as(Role.PIPELINE, "console-pipeline-governance");
    assertThat(pipeline.get("/ui/governance").status()).isEqualTo(403);
    assertThat(pipeline.getBytes("/ui/governance/export?workload=" + WORKLOAD).statusCode())
        .isEqualTo(403);
  }
}
