// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rollout state machine through the API and CLI with the sample scheme. */
class RolloutFlowTest {
  private static final TestServer server = TestServer.shared();

  static void setup(String workload) {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", workload));
    for (String v : new String[] {"A", "B"}) {
      operator.post(
          "/v1/workloads/" + workload + "/versions",
          Map.of("version", v, "reference_values", Map.of("sample", Map.of("measurement", v + v))));
    }
    operator.post(
        "/v1/workloads/" + workload + "/policy/accept",
        Map.of("version", "A", "reason", "initial"));
  }

  static int attest(String workload, String measurement) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    String evidence =
        SampleEvidence.sign(
            new ECKeyGenerator(Curve.P_256).generate(),
            measurement,
            null,
            Binding.value(Base64.getUrlDecoder().decode(nonce), key));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", workload);
    request.put("instance_id", "i-" + measurement + "-" + System.nanoTime());
    request.put("nonce", nonce);
    request.put("tee_key", key.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    return server.anonymous().post("/v1/attest", request).status();
  }

  static void awaitCache(String workload) {
    server.server().services().policyCache().reload(workload);
  }

  @Test
  void rollout_stageRollComplete_movesThePolicy() throws Exception {
    setup("ro-complete");
    String dir = server.dataDir().toString();
    CliRun start =
        CliRun.of(
            "rollout",
            "start",
            "--workload",
            "ro-complete",
            "--to",
            "B",
            "--reason",
            "release B",
            "--data-dir",
            dir,
            "--json");
    assertThat(start.exitCode()).as(start.err()).isZero();
    assertThat(start.json().path("state").asText()).isEqualTo("STAGED");
    assertThat(
            server
                .operator()
                .get("/v1/workloads/ro-complete/policy")
                .json()
                .path("accepted")
                .toString())
        .isEqualTo("[\"A\",\"B\"]");
    CliRun wait =
        CliRun.of(
            "rollout",
            "wait",
            "--workload",
            "ro-complete",
            "--state",
            "STAGED",
            "--timeout",
            "30",
            "--data-dir",
            dir);
    assertThat(wait.exitCode()).as(wait.err() + wait.out()).isZero();
    awaitCache("ro-complete");
    assertThat(attest("ro-complete", "AA")).isEqualTo(200);
    assertThat(attest("ro-complete", "BB")).isEqualTo(200);
    server.server().services().fleet().flush(5000);
    server.server().services().scheduler().tick();
    assertThat(
            server
                .operator()
                .get("/v1/workloads/ro-complete/rollouts/current")
                .json()
                .path("rollout")
                .path("state")
                .asText())
        .isEqualTo("ROLLING");
    CliRun second =
        CliRun.of(
            "rollout",
            "start",
            "--workload",
            "ro-complete",
            "--to",
            "A",
            "--reason",
            "again",
            "--data-dir",
            dir);
    assertThat(second.exitCode()).isEqualTo(1);
    CliRun complete =
        CliRun.of(
            "rollout",
            "complete",
            "--workload",
            "ro-complete",
            "--reason",
            "all on B",
            "--data-dir",
            dir);
    assertThat(complete.exitCode()).as(complete.err()).isZero();
    assertThat(
            server
                .operator()
                .get("/v1/workloads/ro-complete/policy")
                .json()
                .path("accepted")
                .toString())
        .isEqualTo("[\"B\"]");
    awaitCache("ro-complete");
    assertThat(attest("ro-complete", "AA")).isEqualTo(422);
    assertThat(attest("ro-complete", "BB")).isEqualTo(200);
    server.server().services().fleet().flush(5000);
    var evidence =
        server
            .operator()
            .get(
                "/v1/workloads/ro-complete/rollouts/"
                    + start.json().path("id").asLong()
                    + "/evidence")
            .json();
    assertThat(
            evidence
                .path("expectation_7")
                .path("policy_updated_before_first_new_attestation")
                .asBoolean())
        .as(evidence.toString())
        .isTrue();
    assertThat(evidence.path("expectation_7").path("removed_versions").toString())
        .isEqualTo("[\"A\"]");
    assertThat(
            evidence
                .path("expectation_12")
                .path("first_affirming_result_for_new_measurements")
                .path("status")
                .asText())
        .isEqualTo("affirming");
  }

  @Test
  void rollout_abortAfterRevocation_needsForce() {
    setup("ro-abort");
    var operator = server.operator();
    assertThat(
            operator
                .post("/v1/workloads/ro-abort/rollouts", Map.of("to", "B", "reason", "go"))
                .status())
        .isEqualTo(201);
    operator.post(
        "/v1/workloads/ro-abort/policy/revoke", Map.of("version", "A", "reason", "CVE in A"));
    var refused =
        operator.post(
            "/v1/workloads/ro-abort/rollouts/current/abort", Map.of("reason", "canary failed"));
    assertThat(refused.problem()).isEqualTo("restores-revoked-version");
    var pipeline = server.as(dev.arbiter.auth.Role.PIPELINE, "ro-abort-ci");
    assertThat(
            pipeline
                .post(
                    "/v1/workloads/ro-abort/rollouts/current/abort",
                    Map.of("reason", "x", "force", true))
                .status())
        .isEqualTo(403);
    var forced =
        operator.post(
            "/v1/workloads/ro-abort/rollouts/current/abort",
            Map.of("reason", "canary failed; A needed", "force", true));
    assertThat(forced.json().path("state").asText()).isEqualTo("ROLLED_BACK");
    assertThat(operator.get("/v1/workloads/ro-abort/policy").json().path("accepted").toString())
        .isEqualTo("[\"A\"]");
    var audit =
        operator
            .get("/v1/audit?target=ro-abort&limit=100")
            .json()
            .path("records")
            .findValuesAsText("action");
    assertThat(audit).contains("rollout.staged", "rollout.rolled-back");
  }
}
