// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.auth.Role;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secret administration over HTTPS: typed problems that store nothing, roles, rotate and delete
 * with audit records.
 */
class SecretAdminTest {
  private static final String WORKLOAD = "kb-admin";
  private final KeyBrokerFixture kb = new KeyBrokerFixture(TestServer.shared());

  @BeforeAll
  static void workload() {
    new KeyBrokerFixture(TestServer.shared()).workload(WORKLOAD);
  }

  private static Map<String, Object> putBody(String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("workload", WORKLOAD);
    body.put("value", Base64.getEncoder().encodeToString("v".getBytes(StandardCharsets.UTF_8)));
    body.put("release_policy", "status == 'affirming'");
    return body;
  }

  private void assertRefusedAndNothingStored(
      String name, Map<String, Object> body, int status, String problem, String detail) {
    long audits = kb.auditCount();
    TestServer.Response response = kb.operator.post("/v1/secrets", body);
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.problem()).isEqualTo(problem);
    assertThat(response.json().path("detail").asText()).contains(detail);
    assertThat(kb.secretRows(name)).isZero();
    assertThat(kb.auditCount()).isEqualTo(audits);
  }

  @Test
  void put_badInput_givesTypedProblems_andStoresNothing() {
    Map<String, Object> badName = putBody("bad name!");
    assertRefusedAndNothingStored(
        "bad name!", badName, 400, "invalid-secret-name", "secret name must match");
    Map<String, Object> syntax = putBody("kb-bad-cel");
    syntax.put("release_policy", "status ==");
    assertRefusedAndNothingStored("kb-bad-cel", syntax, 400, "invalid-cel", "release policy:");
    Map<String, Object> notBool = putBody("kb-bad-cel");
    notBool.put("release_policy", "'affirming'");
    assertRefusedAndNothingStored("kb-bad-cel", notBool, 400, "invalid-cel", "release policy:");
    Map<String, Object> undeclared = putBody("kb-bad-cel");
    undeclared.put("release_policy", "claims.debug == false");
    assertRefusedAndNothingStored("kb-bad-cel", undeclared, 400, "invalid-cel", "claims");
    Map<String, Object> noWorkload = putBody("kb-no-workload");
    noWorkload.put("workload", "kb-missing-workload");
    assertRefusedAndNothingStored(
        "kb-no-workload", noWorkload, 404, "workload-not-found", "kb-missing-workload");
    Map<String, Object> empty = putBody("kb-empty");
    empty.put("value", "");
    assertRefusedAndNothingStored("kb-empty", empty, 400, "invalid-secret-value", "empty");
    Map<String, Object> notBase64 = putBody("kb-not-b64");
    notBase64.put("value", "***");
    assertRefusedAndNothingStored("kb-not-b64", notBase64, 400, "invalid-secret-value", "base64");
    Map<String, Object> tooLarge = putBody("kb-too-large");
    tooLarge.put(
        "value", Base64.getEncoder().encodeToString(new byte[SecretStore.MAX_VALUE_BYTES + 1]));
    assertRefusedAndNothingStored("kb-too-large", tooLarge, 400, "invalid-secret-value", "at most");
    Map<String, Object> unknownField = putBody("kb-unknown-field");
    unknownField.put("colour", "blue");
    assertRefusedAndNothingStored("kb-unknown-field", unknownField, 400, "unknown-field", "colour");
    Map<String, Object> nullValue = putBody("kb-null-value");
    nullValue.put("value", null);
    assertRefusedAndNothingStored(
        "kb-null-value", nullValue, 400, "invalid-secret-value", "required");
    Map<String, Object> nullPolicy = putBody("kb-null-policy");
    nullPolicy.put("release_policy", null);
    assertRefusedAndNothingStored("kb-null-policy", nullPolicy, 400, "invalid-cel", "empty");
    Map<String, Object> missingPolicy = putBody("kb-no-policy");
    missingPolicy.remove("release_policy");
    assertRefusedAndNothingStored(
        "kb-no-policy", missingPolicy, 400, "invalid-field", "release_policy");
  }

  @Test
  void put_existingName_isAConflict_andKeepsTheOriginal() {
    assertThat(kb.operator.post("/v1/secrets", putBody("kb-twice")).status()).isEqualTo(201);
    long audits = kb.auditCount();
    TestServer.Response again = kb.operator.post("/v1/secrets", putBody("kb-twice"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problem()).isEqualTo("secret-exists");
    assertThat(kb.auditCount()).isEqualTo(audits);
  }

  @Test
  void roles_onlyOperatorsChange_auditorsList_pipelinesNeither() {
    TestServer.Client pipeline = kb.server.as(Role.PIPELINE, "kb-ci");
    assertThat(pipeline.post("/v1/secrets", putBody("kb-by-pipeline")).status()).isEqualTo(403);
    assertThat(pipeline.get("/v1/secrets").status()).isEqualTo(403);
    assertThat(kb.server.anonymous().get("/v1/secrets").status()).isEqualTo(401);
    TestServer.Client auditor = kb.server.as(Role.AUDITOR, "kb-auditor");
    assertThat(auditor.get("/v1/secrets").status()).isEqualTo(200);
    assertThat(auditor.post("/v1/secrets", putBody("kb-by-auditor")).status()).isEqualTo(403);
    assertThat(kb.secretRows("kb-by-pipeline") + kb.secretRows("kb-by-auditor")).isZero();
  }

  @Test
  void lifecycle_putListSetPolicyRotateDelete_isAuditedAndReleasesTheCurrentVersion()
      throws Exception {
    ECKey teeKey = KeyBrokerFixture.newKey();
    assertThat(kb.put("kb-life", WORKLOAD, "first-value", "version == '1.0'", false).status())
        .isEqualTo(201);
    assertThat(kb.lastAudit("kb-life").path("action").asText()).isEqualTo("secret.put");
    JsonNode listed = kb.operator.get("/v1/secrets").json().path("secrets");
    JsonNode entry = null;
    for (JsonNode secret : listed) {
      if (secret.path("name").asText().equals("kb-life")) {
        entry = secret;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.has("value")).isFalse();
    assertThat(entry.toString())
        .doesNotContain("first-value")
        .doesNotContain(Base64.getEncoder().encodeToString("first-value".getBytes()));
    assertThat(entry.path("version").asInt()).isEqualTo(1);

    String v1 = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    String v2 = kb.ear(WORKLOAD, "2.0", EarStatus.AFFIRMING, teeKey);
    assertThat(kb.release("kb-life", kb.body(teeKey, "kb-life", v2)).status()).isEqualTo(403);

    TestServer.Response noReason =
        kb.operator.put(
            "/v1/secrets/kb-life/policy",
            Map.of("release_policy", "version == '2.0'", "reason", " "));
    assertThat(noReason.problem()).isEqualTo("reason-required");
    TestServer.Response badPolicy =
        kb.operator.put(
            "/v1/secrets/kb-life/policy", Map.of("release_policy", "version ==", "reason", "x"));
    assertThat(badPolicy.problem()).isEqualTo("invalid-cel");
    TestServer.Response policy =
        kb.operator.put(
            "/v1/secrets/kb-life/policy",
            Map.of("release_policy", "version == '2.0'", "reason", "upgrade"));
    assertThat(policy.status()).as(policy.text()).isEqualTo(200);
    JsonNode policyAudit = kb.lastAudit("kb-life");
    assertThat(policyAudit.path("action").asText()).isEqualTo("secret.set-policy");
    assertThat(policyAudit.path("details").path("previous_release_policy").asText())
        .isEqualTo("version == '1.0'");
    assertThat(kb.release("kb-life", kb.body(teeKey, "kb-life", v1)).status()).isEqualTo(403);
    TestServer.Response released = kb.release("kb-life", kb.body(teeKey, "kb-life", v2));
    assertThat(SecretWrap.unwrap(released.json().path("jwe").asText(), teeKey))
        .asString()
        .isEqualTo("first-value");

    byte[] oldCiphertext = ciphertext("kb-life");
    TestServer.Response rotated =
        kb.operator.post(
            "/v1/secrets/kb-life/rotate",
            Map.of(
                "value",
                Base64.getEncoder().encodeToString("second-value".getBytes(StandardCharsets.UTF_8)),
                "reason",
                "quarterly"));
    assertThat(rotated.json().path("version").asInt()).isEqualTo(2);
    assertThat(kb.lastAudit("kb-life").path("action").asText()).isEqualTo("secret.rotate");
    assertThat(ciphertext("kb-life")).isNotEqualTo(oldCiphertext);
    TestServer.Response after = kb.release("kb-life", kb.body(teeKey, "kb-life", v2));
    assertThat(after.json().path("version").asInt()).isEqualTo(2);
    assertThat(SecretWrap.unwrap(after.json().path("jwe").asText(), teeKey))
        .asString()
        .isEqualTo("second-value");
    assertThat(
            kb.operator
                .post("/v1/secrets/kb-nothing/rotate", Map.of("value", "eA", "reason", "x"))
                .problem())
        .isEqualTo("secret-not-found");

    assertThat(
            kb.operator
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            kb.server.uri().resolve("/v1/secrets/kb-life"))
                        .DELETE())
                .problem())
        .isEqualTo("reason-required");
    TestServer.Response deleted =
        kb.operator.send(
            java.net.http.HttpRequest.newBuilder(
                    kb.server.uri().resolve("/v1/secrets/kb-life?reason=decommissioned"))
                .DELETE());
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
    assertThat(kb.secretRows("kb-life")).isZero();
    JsonNode deleteAudit = kb.lastAudit("kb-life");
    assertThat(deleteAudit.path("action").asText()).isEqualTo("secret.delete");
    assertThat(deleteAudit.path("reason").asText()).isEqualTo("decommissioned");
    assertThat(kb.release("kb-life", kb.body(teeKey, "kb-life", v2)).status()).isEqualTo(403);
    assertThat(kb.lastAudit("kb-life").path("details").path("check").asText())
        .isEqualTo("unknown-resource");
  }

  private byte[] ciphertext(String name) {
    return kb.server
        .server()
        .database()
        .jdbi()
        .withHandle(h ->
            h.createQuery("select ciphertext from secret where name = :n")
                .bind("n", name)
                .mapTo(byte[].class)
                .one());
  }
}
