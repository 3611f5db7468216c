// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission and monitoring with the shared real vectors: the keyless SLSA v1 bundle p01 for its jar
 * (Sigstore public-good root, integrated time), the dropwizard CycloneDX 1.2 SBOM bound to the jar
 * through an in-toto SBOM Statement, and the shared OSV records (whose dropwizard matches the
 * MANIFEST lists).
 */
class SupplyChainVectorsTest {
  private static final TestServer server = TestServer.shared();
  private static final String BUILDER =
      "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_gradle_slsa3.yml@refs/tags/v2.1.0";
  private static final String SIGNER =
      "^https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/delegator_lowperms-generic_slsa3\\.yml@refs/tags/v2\\.1\\.0$";

  static Map<String, Object> policy(String identity) throws Exception {
    Path trust =
        RepoPaths.requireVectors("supplychain")
            .resolve("provenance/trust/sigstore-go_trusted-root-public-good.json");
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("builder_ids", List.of(BUILDER));
    policy.put("signer_identities", List.of(identity));
    policy.put("oidc_issuers", List.of("https://token.actions.githubusercontent.com"));
    policy.put("trusted_root", Json.readTree(Files.readAllBytes(trust)));
    policy.put("quorum", 1);
    policy.put(
        "cel",
        "statement.predicate.buildDefinition.externalParameters.source.repository != '' ||"
            + " has(provenance.runDetails)");
    policy.put("vulnerabilities", Map.of("block_at_cvss", 7.0));
    return policy;
  }

  @Test
  void keylessBundleAndRealSbom_admitted_thenSharedOsvFindsTheManifestMatches(@TempDir Path dir)
      throws Exception {
    Path vectors = RepoPaths.requireVectors("supplychain");
    String data = server.dataDir().toString();
    var operator = server.operator();
    operator.post(
        "/v1/workloads",
        Map.of(
            "name",
            "sc-vectors",
            "objectives",
            Map.of("critical", Map.of("deadline", "P7D", "on_deadline", "escalate"))));
    Files.writeString(dir.resolve("policy.json"), Json.write(policy(SIGNER)));
    CliRun set =
        CliRun.of(
            "workload",
            "set-supply-chain",
            "--workload",
            "sc-vectors",
            "--file",
            dir.resolve("policy.json").toString(),
            "--data-dir",
            data);
    assertThat(set.exitCode()).as(set.err()).isZero();

    byte[] jar =
        Files.readAllBytes(vectors.resolve("provenance/p01_artifact_workflow_dispatch-0.5.29.jar"));
    String sha = Hex.encode(Digests.sha256(jar));
    ObjectNode statement = Json.mapper().createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement
        .putArray("subject")
        .addObject()
        .put("name", "workflow_dispatch-0.5.29.jar")
        .putObject("digest")
        .put("sha256", sha);
    statement.put("predicateType", "https://cyclonedx.org/bom");
    statement.set(
        "predicate",
        Json.readTree(
            Files.readAllBytes(vectors.resolve("sbom/cdx-1.2_maven_dropwizard-1.3.15.bom.json"))));
    Files.writeString(dir.resolve("sbom.intoto.json"), Json.write(statement));
    Files.writeString(dir.resolve("rv.json"), "{\"sample\": {\"measurement\": \"5c0001\"}}");
    String bundle =
        vectors
            .resolve("provenance/p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json")
            .toString();

    CliRun refused =
        CliRun.of(
            "version",
            "register",
            "--workload",
            "sc-vectors",
            "--version",
            "n01",
            "--digest",
            "sha256:" + sha,
            "--reference-values",
            dir.resolve("rv.json").toString(),
            "--provenance",
            vectors.resolve("provenance/n01_FAIL_invalid-dsse-sig.bundle-v0.1.json").toString(),
            "--sbom",
            dir.resolve("sbom.intoto.json").toString(),
            "--data-dir",
            data);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("provenance-");

    CliRun registered =
        CliRun.of(
            "version",
            "register",
            "--workload",
            "sc-vectors",
            "--version",
            "0.5.29",
            "--digest",
            "sha256:" + sha,
            "--reference-values",
            dir.resolve("rv.json").toString(),
            "--provenance",
            bundle,
            "--sbom",
            dir.resolve("sbom.intoto.json").toString(),
            "--data-dir",
            data,
            "--json");
    assertThat(registered.exitCode()).as(registered.err()).isZero();
    JsonNode fact = registered.json().path("content").path("provenance").get(0);
    assertThat(fact.path("builder_id").asText()).isEqualTo(BUILDER);
    assertThat(fact.path("signer").path("kind").asText()).isEqualTo("certificate");
    assertThat(fact.path("integrated_time").asText()).isEqualTo("2025-02-25T21:58:35Z");
    assertThat(registered.json().path("content").path("sbom").path("components").asInt())
        .isEqualTo(167);
    operator.post(
        "/v1/workloads/sc-vectors/policy/accept", Map.of("version", "0.5.29", "reason", "release"));

    CliRun imported =
        CliRun.of(
            "advisories",
            "import",
            vectors.resolve("osv").toString(),
            "--data-dir",
            data,
            "--json");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    JsonNode mine = null;
    for (JsonNode affected : imported.json().path("affected_versions")) {
      if (affected.path("workload").asText().equals("sc-vectors")) {
        mine = affected;
      }
    }
    assertThat(mine).as(imported.out()).isNotNull();
    assertThat(mine.path("findings").findValuesAsText("osv_id"))
        .containsExactlyInAnyOrder(
            "GHSA-57j2-w4cx-62h2",
            "GHSA-7g45-4rm6-3mm3",
            "GHSA-mjmj-j48q-9wg2",
            "GHSA-vmq6-5m68-f53m",
            "GHSA-vmq6-5m68-f53m");
    assertThat(mine.path("findings").findValuesAsText("purl"))
        .contains(
            "pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar",
            "pkg:maven/ch.qos.logback/logback-classic@1.2.3?type=jar");
    assertThat(mine.path("obligation").isNull()).isFalse();

    CliRun check =
        CliRun.of(
            "version",
            "check",
            "--workload",
            "sc-vectors",
            "--version",
            "0.5.29",
            "--data-dir",
            data);
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).contains("vulnerability-blocking").contains("GHSA-");
    CliRun status =
        CliRun.of("workload", "supply-chain", "--workload", "sc-vectors", "--data-dir", data);
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("obligation").contains("GHSA-mjmj-j48q-9wg2");
  }

  @Test
  void keylessBundle_signerIdentityNotTrusted_refused() throws Exception {
    Path vectors = RepoPaths.requireVectors("supplychain");
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "sc-vectors-id"));
    assertThat(
            operator
                .put(
                    "/v1/workloads/sc-vectors-id/supply-chain",
                    Map.of(
                        "policy", policy("^https://github\\.com/example/.*$"), "reason", "strict"))
                .status())
        .isEqualTo(200);
    byte[] jar =
        Files.readAllBytes(vectors.resolve("provenance/p01_artifact_workflow_dispatch-0.5.29.jar"));
    byte[] bundle =
        Files.readAllBytes(
            vectors.resolve(
                "provenance/p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", "1");
    body.put("reference_values", Map.of("sample", Map.of("measurement", "01")));
    body.put("digest", "sha256:" + Hex.encode(Digests.sha256(jar)));
    body.put(
        "provenance",
        List.of(
            new String(bundle, StandardCharsets.UTF_8).isEmpty()
                ? ""
                : SupplyChainFixture.b64(bundle)));
    var refused = operator.post("/v1/workloads/sc-vectors-id/versions", body);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.text()).contains("provenance-signer-untrusted");
    assertThat(operator.get("/v1/workloads/sc-vectors-id/versions").json().path("versions"))
        .isEmpty();
  }
}
