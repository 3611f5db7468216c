// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.internal.Json;
import dev.arbiter.retention.DecisionRetention;
import dev.arbiter.retention.PruneRun;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and governance evidence: a bundle exported before a prune still verifies afterwards
 * (offline, against a checkpoint witnessed before, and the live log still extends it), the report
 * keeps its rows (each version's first decision is kept) and says how many decisions were pruned.
 */
class RetentionReportTest {
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private CliRun export(Path file) {
    return CliRun.of(
        "governance",
        "export",
        "--workload",
        GovernanceScenario.WORKLOAD,
        "--out",
        file.toString(),
        "--data-dir",
        server.dataDir().toString(),
        "--json");
  }

  private JsonNode report() {
    var response =
        server
            .as(Role.AUDITOR, "auditor")
            .get("/v1/governance/report?workload=" + GovernanceScenario.WORKLOAD);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static String statuses(JsonNode report) {
    List<String> out = new ArrayList<>();
    report
        .path("expectations")
        .fields()
        .forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().path("status").asText()));
    return String.join(",", out);
  }

  @Test
  void bundleExportedBeforeAPrune_stillVerifies_andReportsCountThePrunedDecisions(@TempDir Path dir)
      throws Exception {
    server = TestServer.start(config -> config.withDev(true));
    GovernanceScenario scenario = new GovernanceScenario(server);
    scenario.run();
    // more decisions than the report rests on: later attestations of v2
    for (int i = 0; i < 3; i++) {
      assertThat(scenario.attest("v2").path("status").asText()).isIn("affirming", "warning");
    }
    server.server().services().fleet().flush(5000);
    JsonNode before = report();
    Path old = dir.resolve("before.zip");
    CliRun exported = export(old);
    assertThat(exported.exitCode()).as(exported.err()).isZero();
    String anchor =
        Json.readTree(BundleVerifierEntries.entry(Files.readAllBytes(old), "report.json"))
            .path("checkpoint")
            .asText();
    Path witnessed = dir.resolve("witnessed.checkpoint");
    Files.writeString(witnessed, anchor);

    // one day of retention, pruned three days later
    var operator = server.operator();
    assertThat(
            operator
                .put(
                    "/v1/workloads/" + GovernanceScenario.WORKLOAD + "/retention",
                    Map.of("decisions", "1d", "reason", "short retention"))
                .status())
        .isEqualTo(200);
    var services = server.server().services();
    List<PruneRun> runs =
        new DecisionRetention(
                server.server().database(),
                services.policies(),
                services.audit(),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(3)),
                DecisionRetention.DEFAULT_BATCH)
            .prune(
                new Principal("ops", Role.OPERATOR, "00"),
                Optional.of(GovernanceScenario.WORKLOAD),
                false);
    PruneRun run = runs.getFirst();
    assertThat(run.decisionsPruned()).as(run.toString()).isEqualTo(3);
    assertThat(run.keptFirstDecisions()).isEqualTo(2);

    // the old bundle: intact offline, also against the checkpoint witnessed before the prune
    CliRun verifyOld =
        CliRun.of(
            "governance",
            "verify",
            "--bundle",
            old.toString(),
            "--trusted-checkpoint",
            witnessed.toString());
    assertThat(verifyOld.exitCode()).as(verifyOld.out() + verifyOld.err()).isZero();
    // the live log still extends that checkpoint, and every record and pruned leaf checks out
    CliRun audit =
        CliRun.of(
            "audit",
            "verify",
            "--data-dir",
            server.dataDir().toString(),
            "--trusted-checkpoint",
            witnessed.toString());
    assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();

    // a report after the prune: the same rows, and it says what was pruned
    JsonNode after = report();
    assertThat(statuses(after)).isEqualTo(statuses(before));
    JsonNode row12 = after.path("expectations").path("12");
    assertThat(row12.path("summary").asText())
        .contains("3 decisions in the period were pruned by retention");
    assertThat(row12.path("evidence").findValues("summary").stream().map(JsonNode::asText))
        .anyMatch(s -> s.startsWith("retention pruned 3 decisions appended before"));
    assertThat(before.path("expectations").path("12").path("summary").asText())
        .doesNotContain("pruned");

    // a bundle exported after the prune verifies too (its verifier re-derives that note)
    Path later = dir.resolve("after.zip");
    assertThat(export(later).exitCode()).isZero();
    CliRun verifyNew = CliRun.of("governance", "verify", "--bundle", later.toString(), "--json");
    assertThat(verifyNew.exitCode()).as(verifyNew.out()).isZero();
    assertThat(verifyNew.json().path("statuses").path("12").asText()).isEqualTo("met");
  }

  /** Reads one entry of a bundle ZIP. */
  static final class BundleVerifierEntries {
    static byte[] entry(byte[] zip, String name) throws java.io.IOException {
      try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
        for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          if (e.getName().equals(name)) {
            return in.readAllBytes();
          }
        }
      }
      throw new java.io.IOException("no entry " + name);
    }
  }
}
