// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Role;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The issue's scenario: every row's status and evidence through the REST route and the CLI. */
class GovernanceReportTest {
  static TestServer server;
  static GovernanceScenario scenario;
  static JsonNode report;

  @BeforeAll
  static void scenario() throws Exception {
    server = TestServer.start(config -> config.withDev(true));
    scenario = new GovernanceScenario(server);
    scenario.run();
    var response =
        server
            .as(Role.AUDITOR, "auditor")
            .get("/v1/governance/report?workload=" + GovernanceScenario.WORKLOAD);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    report = response.json();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static JsonNode row(String key) {
    return report.path("expectations").path(key);
  }

  static List<String> summaries(String key) {
    List<String> out = new ArrayList<>();
    row(key).path("evidence").forEach(e -> out.add(e.path("summary").asText()));
    return out;
  }

  @Test
  void rows_inTheContractsOrderAndKeys() {
    List<String> keys = new ArrayList<>();
    report.path("expectations").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("upgrade-7", "7", "12", "9", "14", "15", "1");
  }

  @Test
  void upgrade7_bothRollouts_policyLiveBeforeFirstAttestation_oldAndNewRemoved() {
    JsonNode row = row("upgrade-7");
    assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("met");
    assertThat(row.path("summary").asText()).contains("2 rollouts", "1 completed", "1 rolled back");
    assertThat(summaries("upgrade-7"))
        .anyMatch(s -> s.startsWith("staged revision of rollout #" + scenario.rolloutCompleted))
        .anyMatch(s ->
            s.startsWith("final revision of rollout #" + scenario.rolloutCompleted)
                && s.contains("accepts [v2]"))
        .anyMatch(s ->
            s.startsWith("rollback revision of rollout #" + scenario.rolloutAborted)
                && s.contains("accepts [v2]"))
        .anyMatch(s -> s.startsWith("first attestation as v2"));
    for (JsonNode item : row.path("evidence")) {
      if (item.path("kind").asText().equals("policy_revision")
          || item.path("kind").asText().equals("decision")
          || item.path("kind").asText().equals("audit_record")) {
        assertThat(item.path("proof").path("checkpoint").asText())
            .isEqualTo(report.path("checkpoint").asText());
        assertThat(item.path("leaf_index").asLong())
            .isEqualTo(item.path("proof").path("leaf_index").asLong());
      }
    }
  }

  @Test
  void wg7_and_wg12_firstDecisionsProvenPerVersion() {
    assertThat(row("7").path("status").asText()).as(row("7").toString()).isEqualTo("met");
    assertThat(row("7").path("summary").asText()).startsWith("2 deployed versions");
    JsonNode twelve = row("12");
    assertThat(twelve.path("status").asText()).as(twelve.toString()).isEqualTo("met");
    List<String> decided = new ArrayList<>();
    twelve
        .path("evidence")
        .forEach(e -> {
          if (e.path("kind").asText().equals("decision")) {
            decided.add(e.path("summary").asText());
            assertThat(e.path("details").path("verdict").asText()).isEqualTo("affirming");
            assertThat(e.path("proof").path("hashes").isArray()).isTrue();
          }
        });
    assertThat(decided).hasSize(2);
    assertThat(decided.get(0)).contains("for v1");
    assertThat(decided.get(1)).contains("for v2");
    assertThat(summaries("12")).anyMatch(s -> s.startsWith("v3: accepted, no instance attested"));
  }

  @Test
  void wg9_provenanceAndSbomOfTheAcceptedVersion() {
    JsonNode row = row("9");
    assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("met");
    assertThat(summaries("9"))
        .anyMatch(s ->
            s.startsWith(
                "v2 provenance verified at admission: builder " + GovernanceScenario.BUILDER))
        .anyMatch(
            s -> s.startsWith("v2 SBOM cyclonedx-1.5, 2 components") && s.contains("CRITICAL=1"));
  }

  @Test
  void wg14_missedPhaseOut_notMetWithReason() {
    JsonNode row = row("14");
    assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("not-met");
    assertThat(row.path("reason").asText()).startsWith("vulnerable version v2 not removed before");
    assertThat(summaries("14"))
        .anyMatch(
            s -> s.startsWith("v2: schemes [sample], configuration digests [crypto, trust_roots]"));
  }

  @Test
  void wg15_policyAtAdmission_syncs_obligationMetAndMissed() {
    JsonNode row = row("15");
    assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("not-met");
    assertThat(row.path("reason").asText())
        .contains("vulnerability obligation")
        .contains("missed its deadline");
    assertThat(summaries("15"))
        .anyMatch(s -> s.startsWith("supply-chain policy in force when v2 was admitted"))
        .anyMatch(s -> s.startsWith("admission of v2: version.register"))
        .anyMatch(s -> s.startsWith("advisory sync: advisories.import"))
        .anyMatch(s -> s.startsWith("rollout-deadline obligation") && s.endsWith(": met"))
        .anyMatch(s -> s.startsWith("vulnerability obligation") && s.endsWith(": breached"));
  }

  @Test
  void wg1_guidancePerOpenFinding() {
    JsonNode row = row("1");
    assertThat(row.path("status").asText()).as(row.toString()).isEqualTo("met");
    assertThat(summaries("1"))
        .anyMatch(s ->
            s.startsWith("v2: GHSA-gov0-test-0001 (CRITICAL) in pkg:npm/gov-lib@1.0.0")
                && s.endsWith("upgrade gov-lib from 1.0.0 to 1.2.0"));
  }

  @Test
  void route_badInput_problems_andRoles() {
    var auditor = server.as(Role.AUDITOR, "auditor2");
    var unknown = auditor.get("/v1/governance/report?workload=nope");
    assertThat(unknown.status()).isEqualTo(404);
    var range =
        auditor.get(
            "/v1/governance/report?workload=gov-scenario&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    assertThat(range.status()).isEqualTo(400);
    assertThat(range.problem()).isEqualTo("report-range-invalid");
    var garbage = auditor.get("/v1/governance/report?workload=gov-scenario&to=yesterday");
    assertThat(garbage.problem()).isEqualTo("report-range-invalid");
    assertThat(
            server
                .as(Role.PIPELINE, "ci")
                .get("/v1/governance/report?workload=gov-scenario")
                .status())
        .isEqualTo(403);
    assertThat(server.anonymous().get("/v1/governance/report?workload=gov-scenario").status())
        .isEqualTo(401);
    assertThat(server.operator().get("/v1/governance/report").json().path("reports"))
        .anyMatch(r -> r.path("workload").asText().equals(GovernanceScenario.WORKLOAD));
  }

  @Test
  void cli_report_jsonAndText() {
    CliRun json =
        CliRun.of(
            "governance",
            "report",
            "--workload",
            GovernanceScenario.WORKLOAD,
            "--data-dir",
            server.dataDir().toString(),
            "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.json().path("expectations").path("upgrade-7").path("status").asText())
        .isEqualTo("met");
    CliRun text =
        CliRun.of(
            "governance",
            "report",
            "--workload",
            GovernanceScenario.WORKLOAD,
            "--data-dir",
            server.dataDir().toString());
    assertThat(text.out()).contains("upgrade-7  met").contains("14         not-met");
    CliRun missing =
        CliRun.of(
            "governance",
            "report",
            "--workload",
            "nope",
            "--data-dir",
            server.dataDir().toString());
    assertThat(missing.exitCode()).isEqualTo(1);
  }
}
