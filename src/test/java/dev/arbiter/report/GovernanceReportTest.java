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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The issue's scenario: every row's status and evidence through the REST route and the CLI. */
class GovernanceReportTest {
  static TestServer server;
  static GovernanceScenario scenario;
  static JsonNode report;
  static byte[] bundle;

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
    var exported =
        server
            .as(Role.AUDITOR, "auditor-export")
            .get("/v1/governance/export?workload=" + GovernanceScenario.WORKLOAD);
    assertThat(exported.status()).as(exported.text()).isEqualTo(200);
    bundle = java.util.Base64.getDecoder().decode(exported.json().path("bundle").asText());
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

  // ---------------------------------------------------------------- bundles

  static java.util.Map<String, byte[]> entries(byte[] zip) throws java.io.IOException {
    java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      java.util.zip.ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        assertThat(entry.getTimeLocal()).isEqualTo(EvidenceBundle.ENTRY_TIME);
        out.put(entry.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  static List<String> entryNames() throws java.io.IOException {
    return List.copyOf(entries(bundle).keySet());
  }

  @Test
  void bundle_entries_sortedWithFixedTimes_andEverythingTheRowsCite() throws Exception {
    List<String> names = entryNames();
    assertThat(names).isSorted();
    assertThat(names)
        .contains(
            "manifest.json",
            "manifest.dsse.json",
            "report.json",
            "records.json",
            "keys/service-keys.jwks.json",
            "keys/log-key.txt");
    assertThat(names).anyMatch(n -> n.startsWith("checkpoints/"));
    assertThat(names).anyMatch(n -> n.startsWith("consistency/"));
    assertThat(names.stream().filter(n -> n.startsWith("documents/sha256-")).count())
        .isEqualTo(2); // v2's provenance and SBOM
    assertThat(EvidenceBundle.zip(entries(bundle))).isEqualTo(bundle);
  }

  @Test
  void cli_export_thenVerifyOffline_intactWithTheRowStatuses(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("bundle.zip");
    CliRun export =
        CliRun.of(
            "governance",
            "export",
            "--workload",
            GovernanceScenario.WORKLOAD,
            "--out",
            file.toString(),
            "--data-dir",
            server.dataDir().toString(),
            "--json");
    assertThat(export.exitCode()).as(export.err()).isZero();
    String digest = export.json().path("manifest_sha256").asText();
    CliRun verify = CliRun.of("governance", "verify", "--bundle", file.toString(), "--json");
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    JsonNode result = verify.json();
    assertThat(result.path("intact").asBoolean()).isTrue();
    assertThat(result.path("manifest_sha256").asText()).isEqualTo(digest);
    assertThat(result.path("proofs_checked").asInt()).isGreaterThan(10);
    assertThat(result.path("statuses").toString())
        .isEqualTo(
            "{\"upgrade-7\":\"met\",\"7\":\"met\",\"12\":\"met\",\"9\":\"met\",\"14\":\"not-met\","
                + "\"15\":\"not-met\",\"1\":\"met\"}");
    CliRun usage =
        CliRun.of("governance", "verify", "--bundle", dir.resolve("none.zip").toString());
    assertThat(usage.exitCode()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("entryNames")
  void tamper_oneByteOfAnyEntry_verifyNamesThePart(String name) throws Exception {
    java.util.Map<String, byte[]> entries = entries(bundle);
    byte[] bytes = entries.get(name).clone();
    bytes[bytes.length / 2] ^= 0x01;
    entries.put(name, bytes);
    var result = BundleVerifier.verify(EvidenceBundle.zip(entries), java.util.Optional.empty());
    assertThat(result.intact()).isFalse();
    assertThat(result.findings()).anyMatch(f -> f.toString().contains(name));
  }

  @Test
  void forgedStatus_reSignedWithTheServiceKey_stillRefused() throws Exception {
    java.util.Map<String, byte[]> entries = entries(bundle);
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            dev.arbiter.internal.Json.readTree(entries.get("report.json"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("expectations").path("14"))
        .put("status", "met");
    entries.put(
        "report.json",
        dev.arbiter.internal.Json.writePretty(tree)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] forged = resign(entries);
    var result = BundleVerifier.verify(forged, java.util.Optional.empty());
    assertThat(result.findings())
        .extracting(Object::toString)
        .containsExactly("report.json: row 14 claims met but the records give not-met");
  }

  /** Rewrites the manifest over {@code entries} and signs it with the server's own key. */
  static byte[] resign(java.util.Map<String, byte[]> entries) throws Exception {
    var key = dev.arbiter.crypto.ServiceKey.load(server.dataDir().resolve("service-key.pem"));
    entries.remove("manifest.json");
    entries.remove("manifest.dsse.json");
    List<EvidenceBundle.Entry> lines = new ArrayList<>();
    new java.util.TreeMap<>(entries)
        .forEach((n, b) ->
            lines.add(
                new EvidenceBundle.Entry(
                    n,
                    dev.arbiter.internal.Hex.encode(dev.arbiter.crypto.Digests.sha256(b)),
                    b.length)));
    byte[] manifest =
        dev.arbiter.internal.Jcs.canonicalize(
            dev.arbiter.internal.Json.mapper()
                .valueToTree(
                    new EvidenceBundle.Manifest(
                        EvidenceBundle.FORMAT, GovernanceScenario.WORKLOAD, "a", "b", "c", lines)));
    String sig =
        java.util.Base64.getEncoder()
            .encodeToString(
                java.util.Base64.getUrlDecoder()
                    .decode(
                        key.sign(
                            dev.arbiter.supplychain.provenance.dsse.Pae.encode(
                                EvidenceBundle.PAYLOAD_TYPE, manifest))));
    var envelope = dev.arbiter.internal.Json.mapper().createObjectNode();
    envelope.put("payloadType", EvidenceBundle.PAYLOAD_TYPE);
    envelope.put("payload", java.util.Base64.getEncoder().encodeToString(manifest));
    envelope.putArray("signatures").addObject().put("keyid", key.keyId()).put("sig", sig);
    entries.put("manifest.json", manifest);
    entries.put(
        "manifest.dsse.json",
        dev.arbiter.internal.Json.write(envelope)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return EvidenceBundle.zip(entries);
  }

  @Test
  void trustedCheckpoint_sameRootIntact_otherKeyOrSizeFinding(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("b.zip");
    java.nio.file.Files.write(file, bundle);
    String anchor =
        dev.arbiter.internal.Json.readTree(entries(bundle).get("report.json"))
            .path("checkpoint")
            .asText();
    java.nio.file.Path witnessed = dir.resolve("witnessed");
    java.nio.file.Files.writeString(witnessed, anchor);
    CliRun ok =
        CliRun.of(
            "governance",
            "verify",
            "--bundle",
            file.toString(),
            "--trusted-checkpoint",
            witnessed.toString());
    assertThat(ok.exitCode()).as(ok.out()).isZero();
    var other =
        new dev.arbiter.tlog.CheckpointSigner(
            dev.arbiter.tlog.Checkpoint.parse(anchor.substring(0, anchor.indexOf("\n\n") + 1))
                .origin(),
            dev.arbiter.crypto.Ed25519Key.generate());
    java.nio.file.Files.writeString(
        witnessed,
        other.sign(
            dev.arbiter.tlog.Checkpoint.parse(anchor.substring(0, anchor.indexOf("\n\n") + 1))));
    CliRun forked =
        CliRun.of(
            "governance",
            "verify",
            "--bundle",
            file.toString(),
            "--trusted-checkpoint",
            witnessed.toString());
    assertThat(forked.exitCode()).isEqualTo(1);
    assertThat(forked.out())
        .contains("trusted checkpoint: does not verify with the bundle's log key");
  }

  // ---------------------------------------------------------------- rendering

  @Test
  void render_htmlAndPdf_rowsStatusesChartsAndManifestDigest(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path zip = dir.resolve("b.zip");
    java.nio.file.Path html = dir.resolve("r.html");
    java.nio.file.Path pdf = dir.resolve("r.pdf");
    CliRun export =
        CliRun.of(
            "governance",
            "export",
            "--workload",
            GovernanceScenario.WORKLOAD,
            "--out",
            zip.toString(),
            "--html",
            html.toString(),
            "--pdf",
            pdf.toString(),
            "--data-dir",
            server.dataDir().toString(),
            "--json");
    assertThat(export.exitCode()).as(export.err()).isZero();
    String digest = export.json().path("manifest_sha256").asText();
    String page = java.nio.file.Files.readString(html);
    assertThat(page)
        .contains("<td>Upgrade Governance 7</td>")
        .contains("<b>not-met</b>")
        .contains("Workload Governance 14: not-met")
        .contains("evidence bundle manifest SHA-256: <code>" + digest + "</code>")
        .contains("<svg")
        .contains(
            "Fleet share per version during rollout #"
                + scenario.rolloutCompleted
                + " to v2 (COMPLETED)")
        .doesNotContain("src=")
        .doesNotContain("href=")
        .doesNotContain("<script");
    String text;
    try (var document = org.apache.pdfbox.Loader.loadPDF(java.nio.file.Files.readAllBytes(pdf))) {
      text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
    }
    assertThat(text)
        .contains("Governance evidence: " + GovernanceScenario.WORKLOAD)
        .contains("Upgrade Governance 7: met")
        .contains("Workload Governance 7: met")
        .contains("Workload Governance 12: met")
        .contains("Workload Governance 9: met")
        .contains("Workload Governance 14: not-met")
        .contains("Workload Governance 15: not-met")
        .contains("Workload Governance 1: met")
        .contains(digest)
        .contains("Policy revisions and versions over time")
        .contains("upgrade gov-lib from 1.0.0 to 1.2.0");
  }

  // ---------------------------------------------------------------- schedules

  @Test
  void schedule_storedAcrossRestart_runWritesAVerifiableBundle_audited() throws Exception {
    String dir = server.dataDir().toString();
    CliRun bad =
        CliRun.of(
            "governance",
            "schedule",
            "--workload",
            GovernanceScenario.WORKLOAD,
            "--every",
            "P30D",
            "--dir",
            "../outside",
            "--reason",
            "x",
            "--data-dir",
            dir);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("schedule-invalid");
    CliRun set =
        CliRun.of(
            "governance",
            "schedule",
            "--workload",
            GovernanceScenario.WORKLOAD,
            "--every",
            "P30D",
            "--dir",
            "monthly",
            "--reason",
            "monthly evidence",
            "--data-dir",
            dir,
            "--json");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.json().path("every_s").asLong()).isEqualTo(30L * 24 * 3600);
    server.restart();
    CliRun list = CliRun.of("governance", "schedules", "--data-dir", dir, "--json");
    assertThat(list.json().path("schedules").findValuesAsText("workload"))
        .contains(GovernanceScenario.WORKLOAD);
    server
        .server()
        .database()
        .jdbi()
        .useHandle(h ->
            h.execute(
                "update export_schedule set next_run_at = now() - interval '1 second' where"
                    + " workload = ?",
                GovernanceScenario.WORKLOAD));
    var services = server.server().services();
    var schedules =
        new ExportSchedules(
            server.server().database(),
            new GovernanceReports(
                server.server().database(),
                services.policies(),
                services.rollouts(),
                services.transparencyLog(),
                services.config().clock()),
            VerificationKeys.ofKeyRing(services.keyRing()),
            services.serviceKey(),
            services.audit(),
            server.dataDir().resolve("exports"));
    assertThat(schedules.runDue()).isEqualTo(1);
    assertThat(schedules.runDue()).isZero();
    java.nio.file.Path monthly = server.dataDir().resolve("exports/monthly");
    List<java.nio.file.Path> files;
    try (var stream = java.nio.file.Files.list(monthly)) {
      files = stream.toList();
    }
    assertThat(files).hasSize(1);
    var result =
        BundleVerifier.verify(
            java.nio.file.Files.readAllBytes(files.get(0)), java.util.Optional.empty());
    assertThat(result.intact()).as(result.findings().toString()).isTrue();
    JsonNode audit =
        server
            .operator()
            .get("/v1/audit?target=" + GovernanceScenario.WORKLOAD + "&limit=1000")
            .json();
    assertThat(audit.path("records").findValuesAsText("action"))
        .contains("governance.schedule-export", "governance.export");
    assertThat(audit.toString()).contains(result.manifestSha256());
  }
}
