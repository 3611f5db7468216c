// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.Role;
import dev.arbiter.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API through the real HTTPS server with real mutual TLS over embedded PostgreSQL. */
class PolicyRoutesTest {
  private final TestServer server = TestServer.shared();
  private final TestServer.Client operator = server.operator();

  private static Map<String, Object> sampleValues(String measurement) {
    return Map.of("sample", Map.of("measurement", measurement));
  }

  private long auditCount() {
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(
            h -> h.createQuery("select count(*) from audit_record").mapTo(Long.class).one());
  }

  @Test
  void workload_createListShow_roundTrips() {
    var created = operator.post("/v1/workloads", Map.of("name", "api-demo", "owner", "team-a"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("owner").asText()).isEqualTo("team-a");
    var list = operator.get("/v1/workloads");
    assertThat(list.json().path("workloads").findValuesAsText("name")).contains("api-demo");
    var shown = operator.get("/v1/workloads/api-demo");
    assertThat(shown.json().path("policy").path("seq").asLong()).isEqualTo(1);
    assertThat(shown.json().path("policy").path("accepted")).isEmpty();
    var again = operator.post("/v1/workloads", Map.of("name", "api-demo"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problem()).isEqualTo("workload-exists");
    assertThat(again.contentType()).isEqualTo("application/problem+json");
  }

  @Test
  void version_register_isIdempotentAndImmutable() {
    operator.post("/v1/workloads", Map.of("name", "api-versions"));
    var first =
        operator.post(
            "/v1/workloads/api-versions/versions",
            Map.of("version", "1.0", "reference_values", sampleValues("AA11")));
    assertThat(first.status()).isEqualTo(201);
    assertThat(
            first
                .json()
                .path("content")
                .path("reference_values")
                .path("sample")
                .path("measurement")
                .asText())
        .isEqualTo("aa11");
    var same =
        operator.post(
            "/v1/workloads/api-versions/versions",
            Map.of("version", "1.0", "reference_values", sampleValues("aa11")));
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.json().path("created").asBoolean()).isFalse();
    long audits = auditCount();
    var different =
        operator.post(
            "/v1/workloads/api-versions/versions",
            Map.of("version", "1.0", "reference_values", sampleValues("bb22")));
    assertThat(different.status()).isEqualTo(409);
    assertThat(different.problem()).isEqualTo("version-conflict");
    assertThat(auditCount()).isEqualTo(audits);
  }

  @Test
  void referenceValues_unknownSchemeOrClaim_isRefusedNamingTheField() {
    operator.post("/v1/workloads", Map.of("name", "api-rv"));
    var unknownScheme =
        operator.post(
            "/v1/workloads/api-rv/versions",
            Map.of("version", "1", "reference_values", Map.of("sev-snpx", Map.of())));
    assertThat(unknownScheme.status()).isEqualTo(400);
    assertThat(unknownScheme.problem()).isEqualTo("invalid-reference-values");
    assertThat(unknownScheme.json().path("detail").asText()).startsWith("sev-snpx:");
    var unknownClaim =
        operator.post(
            "/v1/workloads/api-rv/versions",
            Map.of(
                "version", "1", "reference_values", Map.of("sample", Map.of("mesurement", "aa"))));
    assertThat(unknownClaim.json().path("detail").asText()).startsWith("sample.mesurement:");
    var badDigest =
        operator.post(
            "/v1/workloads/api-rv/versions",
            Map.of(
                "version",
                "1",
                "reference_values",
                Map.of(
                    "sample",
                    Map.of("measurement", "aa"),
                    "configuration",
                    Map.of("trust_roots", "md5:00"))));
    assertThat(badDigest.json().path("detail").asText()).startsWith("configuration.trust_roots:");
    String sha256 = "ab".repeat(32);
    var wrongLength =
        operator.post(
            "/v1/workloads/api-rv/versions",
            Map.of(
                "version",
                "1",
                "reference_values",
                Map.of("sev-snp", Map.of("measurement", sha256))));
    assertThat(wrongLength.status()).isEqualTo(400);
    assertThat(wrongLength.problem()).isEqualTo("invalid-reference-values");
    assertThat(wrongLength.json().path("detail").asText())
        .isEqualTo(
            "sev-snp.measurement: must be 48 bytes of hex (96 hex digits), got 64 characters");
    assertThat(wrongLength.json().toString()).doesNotContain(sha256);
    assertThat(operator.get("/v1/workloads/api-rv/versions").json().path("versions")).isEmpty();
  }

  @Test
  void policy_acceptRevokeAppraisal_makesChainedRevisions() {
    operator.post("/v1/workloads", Map.of("name", "api-policy"));
    operator.post(
        "/v1/workloads/api-policy/versions",
        Map.of("version", "A", "reference_values", sampleValues("aa")));
    operator.post(
        "/v1/workloads/api-policy/versions",
        Map.of("version", "B", "reference_values", sampleValues("bb")));
    var r2 =
        operator.post(
            "/v1/workloads/api-policy/policy/accept",
            Map.of("version", "A", "reason", "initial release"));
    assertThat(r2.status()).isEqualTo(200);
    var r3 =
        operator.post(
            "/v1/workloads/api-policy/policy/accept", Map.of("version", "B", "reason", "upgrade"));
    assertThat(r3.json().path("prev").asText()).isEqualTo(r2.json().path("hash").asText());
    assertThat(r3.json().path("accepted").findValuesAsText("")).isEmpty();
    assertThat(r3.json().path("accepted").toString()).isEqualTo("[\"A\",\"B\"]");
    var r4 =
        operator.post(
            "/v1/workloads/api-policy/policy/revoke", Map.of("version", "A", "reason", "old"));
    assertThat(r4.json().path("accepted").toString()).isEqualTo("[\"B\"]");
    assertThat(
            operator.get("/v1/workloads/api-policy/versions/A").json().path("revoked").asBoolean())
        .isTrue();
    var badCel =
        operator.put(
            "/v1/workloads/api-policy/policy/appraisal",
            Map.of("cel", "claims.x ==", "reason", "x"));
    assertThat(badCel.status()).isEqualTo(400);
    assertThat(badCel.problem()).isEqualTo("invalid-cel");
    var notBool =
        operator.put(
            "/v1/workloads/api-policy/policy/appraisal", Map.of("cel", "'text'", "reason", "x"));
    assertThat(notBool.problem()).isEqualTo("invalid-cel");
    var good =
        operator.put(
            "/v1/workloads/api-policy/policy/appraisal",
            Map.of("cel", "claims.debug == false", "reason", "no debug"));
    assertThat(good.json().path("seq").asLong()).isEqualTo(5);
    var noReason =
        operator.post(
            "/v1/workloads/api-policy/policy/accept", Map.of("version", "A", "reason", " "));
    assertThat(noReason.problem()).isEqualTo("reason-required");
    var history = operator.get("/v1/workloads/api-policy/policy/revisions");
    assertThat(history.json().path("revisions")).hasSize(5);
    var diff = operator.get("/v1/workloads/api-policy/policy/diff?from=2&to=4");
    assertThat(diff.json().path("accepted_added").toString()).isEqualTo("[\"B\"]");
    assertThat(diff.json().path("accepted_removed").toString()).isEqualTo("[\"A\"]");
    var audit = operator.get("/v1/audit?target=api-policy&limit=50");
    assertThat(audit.json().path("records").findValuesAsText("action"))
        .contains("policy.set-appraisal");
  }

  @Test
  void auth_noCertificate_is401_wrongRole_is403() {
    var anonymous = server.anonymous().get("/v1/workloads");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.problem()).isEqualTo("unauthenticated");
    TestServer.Client auditor = server.as(Role.AUDITOR, "alice-auditor");
    assertThat(auditor.get("/v1/workloads").status()).isEqualTo(200);
    var forbidden = auditor.post("/v1/workloads", Map.of("name", "api-forbidden"));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.problem()).isEqualTo("forbidden");
    assertThat(operator.get("/v1/workloads/api-forbidden").status()).isEqualTo(404);
    TestServer.Client pipeline = server.as(Role.PIPELINE, "ci-bot");
    assertThat(pipeline.post("/v1/workloads", Map.of("name", "api-forbidden")).status())
        .isEqualTo(403);
    operator.post("/v1/workloads", Map.of("name", "api-pipeline"));
    var registered =
        pipeline.post(
            "/v1/workloads/api-pipeline/versions",
            Map.of("version", "1", "reference_values", sampleValues("aa")));
    assertThat(registered.status()).isEqualTo(201);
    assertThat(registered.json().path("created_by").asText()).isEqualTo("pipeline:ci-bot");
    assertThat(pipeline.get("/v1/audit/verify").status()).isEqualTo(403);
    assertThat(auditor.get("/v1/audit/verify").json().path("intact").asBoolean()).isTrue();
    assertThat(server.anonymous().get("/healthz").status()).isEqualTo(200);
  }

  @Test
  void badInput_getsTypedProblem_andStoresNothing() {
    long audits = auditCount();
    assertThat(operator.post("/v1/workloads", "{not json").problem()).isEqualTo("malformed-json");
    assertThat(operator.post("/v1/workloads", Map.of("name", "api-bad", "colour", "red")).problem())
        .isEqualTo("unknown-field");
    assertThat(operator.post("/v1/workloads", Map.of("owner", "x")).problem())
        .isEqualTo("invalid-field");
    assertThat(operator.post("/v1/workloads", Map.of("name", "Bad Name")).problem())
        .isEqualTo("invalid-name");
    assertThat(
            operator
                .post(
                    "/v1/workloads",
                    Map.of(
                        "name",
                        "api-bad",
                        "objectives",
                        Map.of("critical", Map.of("deadline", "3 days"))))
                .problem())
        .isEqualTo("invalid-objectives");
    var huge =
        operator.post(
            "/v1/workloads", Map.of("name", "api-bad", "owner", "x".repeat(2 * 1024 * 1024)));
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.problem()).isEqualTo("body-too-large");
    assertThat(operator.get("/v1/workloads/nope").problem()).isEqualTo("workload-not-found");
    assertThat(operator.get("/v1/no/such/route").problem()).isEqualTo("not-found");
    assertThat(
            operator
                .post("/v1/workloads/nope/policy/accept", Map.of("version", "1", "reason", "r"))
                .problem())
        .isEqualTo("workload-not-found");
    assertThat(operator.get("/v1/workloads/api-bad").status()).isEqualTo(404);
    assertThat(auditCount()).isEqualTo(audits);
  }

  @Test
  void openApi_isServedOpenly_andListsEveryRoute() {
    var doc = server.anonymous().get("/v1/openapi.json").json();
    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    for (String path :
        List.of(
            "/v1/workloads",
            "/v1/workloads/{workload}/policy/accept",
            "/v1/audit/verify",
            "/healthz")) {
      assertThat(doc.path("paths").has(path)).as(path).isTrue();
    }
  }
}
