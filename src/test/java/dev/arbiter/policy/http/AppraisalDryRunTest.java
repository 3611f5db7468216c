// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.auth.Role;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code set-appraisal}'s claim check and {@code --dry-run} over HTTPS and the CLI, with real
 * sample attestations feeding the recent-appraisal sample.
 */
class AppraisalDryRunTest {
  private static final TestServer server = TestServer.shared();
  private static final String W = "dry-run";

  @BeforeAll
  static void attestations() throws Exception {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", W));
    for (String[] v : new String[][] {{"1.0", "aa01"}, {"2.0", "bb02"}, {"3.0", "cc03"}}) {
      operator.post(
          "/v1/workloads/" + W + "/versions",
          Map.of(
              "version", v[0], "reference_values", Map.of("sample", Map.of("measurement", v[1]))));
      operator.post(
          "/v1/workloads/" + W + "/policy/accept", Map.of("version", v[0], "reason", "release"));
    }
    var set =
        operator.put(
            "/v1/workloads/" + W + "/policy/appraisal",
            Map.of("cel", "claims.measurement != 'cc03'", "reason", "3.0 is withdrawn"));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    server.server().services().policyCache().reload(W);
    assertThat(attest("i-1", "aa01").path("status").asText()).isEqualTo("affirming");
    assertThat(attest("i-2", "bb02").path("status").asText()).isEqualTo("affirming");
    assertThat(attest("i-3", "cc03").path("type").asText()).endsWith("policy-denied");
  }

  private static JsonNode attest(String instance, String measurement) throws Exception {
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            measurement,
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
    return server
        .anonymous()
        .post(
            "/v1/attest",
            Map.of(
                "workload",
                W,
                "instance_id",
                instance,
                "nonce",
                nonce,
                "tee_key",
                teeKey.toPublicJWK().toJSONObject(),
                "evidence",
                Map.of(
                    "format",
                    "sample",
                    "data",
                    Base64.getEncoder()
                        .encodeToString(evidence.getBytes(StandardCharsets.US_ASCII)))))
        .json();
  }

  private static CliRun cli(String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "policy";
    all[1] = "set-appraisal";
    all[2] = "--workload";
    all[3] = W;
    System.arraycopy(args, 0, all, 4, args.length);
    all[args.length + 4] = "--data-dir";
    all[args.length + 5] = server.dataDir().toString();
    return CliRun.of(all);
  }

  private static int revisions() {
    return server
        .operator()
        .get("/v1/workloads/" + W + "/policy/revisions")
        .json()
        .path("revisions")
        .size();
  }

  private static int auditRecords() {
    return server
        .operator()
        .get("/v1/audit?target=" + W + "&limit=1000")
        .json()
        .path("records")
        .size();
  }

  @Test
  void dryRun_showsCountsAndFlipsOfRecentAttestations_andChangesNothing() {
    int revisions = revisions();
    int audit = auditRecords();
    CliRun json = cli("--cel", "claims.measurement != 'bb02'", "--dry-run", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode preview = json.json();
    assertThat(preview.path("sampled").asInt()).isEqualTo(3);
    assertThat(preview.path("actual").path("pass").asInt()).isEqualTo(2);
    assertThat(preview.path("actual").path("fail").asInt()).isEqualTo(1);
    assertThat(preview.path("proposed").path("pass").asInt()).isEqualTo(2);
    assertThat(preview.path("current_cel").asText()).isEqualTo("claims.measurement != 'cc03'");
    assertThat(preview.path("flips")).hasSize(2);
    Map<String, JsonNode> flips = new java.util.HashMap<>();
    preview.path("flips").forEach(f -> flips.put(f.path("instance_id").asText(), f));
    assertThat(flips.get("i-2").path("version").asText()).isEqualTo("2.0");
    assertThat(flips.get("i-2").path("actual").asText()).isEqualTo("affirming");
    assertThat(flips.get("i-2").path("proposed").asText()).isEqualTo("fail");
    assertThat(flips.get("i-2").path("reason").asText())
        .isEqualTo("the proposed policy denies these claims; claims.measurement=bb02");
    assertThat(flips.get("i-3").path("actual").asText()).isEqualTo("refused");
    assertThat(flips.get("i-3").path("proposed").asText()).isEqualTo("pass");
    assertThat(flips.get("i-3").path("reason").asText()).contains("(policy-denied)");

    CliRun human = cli("--cel", "claims.measurement != 'bb02'", "--dry-run");
    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out())
        .contains("actual    pass 2  fail 1")
        .contains("proposed  pass 2  fail 1")
        .contains("flips     2")
        .contains("i-2@2.0 sample: affirming -> fail: the proposed policy denies these claims")
        .contains("(nothing changed)");

    CliRun newest = cli("--cel", "true", "--dry-run", "--json", "--last", "1", "--since", "1h");
    assertThat(newest.exitCode()).as(newest.err()).isZero();
    assertThat(newest.json().path("sampled").asInt()).isOne();

    assertThat(revisions()).isEqualTo(revisions);
    assertThat(auditRecords()).isEqualTo(audit);
  }

  @Test
  void unknownClaim_isRefused_byTheCliAndTheApi_andChangesNothing() {
    int revisions = revisions();
    int audit = auditRecords();
    CliRun set = cli("--cel", "claims.measurment == 'aa01'", "--reason", "typo");
    assertThat(set.exitCode()).isEqualTo(1);
    assertThat(set.err())
        .contains("appraisal-unknown-claim")
        .contains("claims.measurment is not a claim of sample; did you mean claims.measurement?");
    CliRun dry = cli("--cel", "claims.measurment == 'aa01'", "--dry-run", "--json");
    assertThat(dry.exitCode()).isEqualTo(1);
    assertThat(dry.json().path("type").asText())
        .isEqualTo("urn:arbiter:problem:appraisal-unknown-claim");
    var api =
        server
            .operator()
            .put(
                "/v1/workloads/" + W + "/policy/appraisal",
                Map.of("cel", "claims.a == 1 && claims.b == 2", "reason", "x"));
    assertThat(api.status()).isEqualTo(400);
    assertThat(api.problem()).isEqualTo("appraisal-unknown-claim");
    assertThat(api.json().path("problems")).hasSize(2);
    assertThat(revisions()).isEqualTo(revisions);
    assertThat(auditRecords()).isEqualTo(audit);
  }

  @Test
  void usageErrors_exit2_andPreviewIsForOperatorsOnly() {
    CliRun noReason = cli("--cel", "true");
    assertThat(noReason.exitCode()).isEqualTo(2);
    assertThat(noReason.err()).contains("--reason");
    CliRun lastWithoutDryRun = cli("--cel", "true", "--reason", "x", "--last", "5");
    assertThat(lastWithoutDryRun.exitCode()).isEqualTo(2);
    assertThat(lastWithoutDryRun.err()).contains("need --dry-run");
    CliRun badSinceCli = cli("--cel", "true", "--dry-run", "--since", "forever");
    assertThat(badSinceCli.exitCode()).isEqualTo(2);
    assertThat(badSinceCli.err()).contains("--since must be like 24h");
    CliRun zero = cli("--cel", "true", "--dry-run", "--last", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--last must be at least 1");
    var badSince =
        server
            .operator()
            .post(
                "/v1/workloads/" + W + "/policy/appraisal/preview",
                Map.of("cel", "true", "since", "a day"));
    assertThat(badSince.problem()).isEqualTo("invalid-field");
    var tooMany =
        server
            .operator()
            .post(
                "/v1/workloads/" + W + "/policy/appraisal/preview",
                Map.of("cel", "true", "last", 100_000));
    assertThat(tooMany.problem()).isEqualTo("invalid-field");
    var auditor =
        server
            .as(Role.AUDITOR, "dry-run-auditor")
            .post("/v1/workloads/" + W + "/policy/appraisal/preview", Map.of("cel", "true"));
    assertThat(auditor.status()).isEqualTo(403);
  }
}
