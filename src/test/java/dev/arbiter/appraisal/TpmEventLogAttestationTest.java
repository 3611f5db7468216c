// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.eventlog.EventLogBuilder;
import dev.arbiter.evidence.tpm.TpmFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/attest} with TPM evidence and its event log ({@code evidence.event_log}, base64):
 * the version's reference value on {@code boot.kernel} is judged on the replayed log, and a log
 * that does not replay to the quoted PCRs is refused.
 */
class TpmEventLogAttestationTest {
  private static final TestServer server = TestServer.shared();
  private static final KeyPair AK = CertBuilder.rsaKeyPair(2048);
  private static final EventLogBuilder LOG =
      EventLogBuilder.tpm(EventLogBuilder.SHA256)
          .secureBoot(7, true)
          .application(4, "shim")
          .application(4, "vmlinuz-6.8")
          .grubCmdline(8, "/vmlinuz-6.8 ro lockdown=integrity");

  @BeforeAll
  static void workload() {
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "tpm-boot"));
    String kernel = Hex.encode(Digests.sha256("vmlinuz-6.8".getBytes(StandardCharsets.UTF_8)));
    operator.post(
        "/v1/workloads/tpm-boot/versions",
        Map.of(
            "version",
            "1.0",
            "reference_values",
            Map.of("tpm", Map.of("boot.kernel", kernel, "secure_boot.enabled", true))));
    operator.post("/v1/workloads/tpm-boot/policy/accept", Map.of("version", "1.0", "reason", "go"));
    server.server().services().policyCache().reload("tpm-boot");
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static TestServer.Response attest(byte[] eventLog) throws Exception {
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    byte[] extraData = Digests.sha256(Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
    byte[] attest = TpmFixtures.quote(extraData, LOG.sha256());
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("format", "tpm");
    evidence.put("data", b64(attest));
    evidence.put("keys", List.of(TpmFixtures.pem(AK.getPublic())));
    evidence.put("signature", b64(TpmFixtures.rsassa(AK.getPrivate(), attest)));
    evidence.put("pcrs", Json.readTree(TpmFixtures.pcrJson(LOG.sha256())));
    evidence.put("event_log", b64(eventLog));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "tpm-boot");
    request.put("instance_id", "i-tpm");
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put("evidence", evidence);
    return server.anonymous().post("/v1/attest", request);
  }

  @Test
  void replayedLogMatchingTheReferenceValues_isAffirmed() throws Exception {
    var response = attest(LOG.build());

    assertThat(response.status()).as(response.text()).isEqualTo(200);
    var claims = SignedJWT.parse(response.json().path("token").asText()).getJWTClaimsSet();
    assertThat(claims.toString()).contains("lockdown=integrity");
  }

  @Test
  void trusteeContainerWithItsEventLog_isAffirmed() throws Exception {
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    byte[] reportData =
        java.util.Arrays.copyOf(
            Digests.sha256(Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey)), 64);
    java.util.TreeMap<Integer, byte[]> pcrs = new java.util.TreeMap<>();
    for (int i = 0; i < 24; i++) {
      pcrs.put(i, new byte[32]);
    }
    pcrs.putAll(LOG.sha256());
    byte[] attest = TpmFixtures.quote(reportData, pcrs);
    Map<String, Object> quote = new LinkedHashMap<>();
    quote.put("signature", b64(TpmFixtures.rsassa(AK.getPrivate(), attest)));
    quote.put("message", b64(attest));
    quote.put("pcrs", pcrs.values().stream().map(Hex::encode).toList());
    Map<String, Object> trustee = new LinkedHashMap<>();
    trustee.put("tpm_quote", quote);
    trustee.put("ak_public", b64(AK.getPublic().getEncoded()));
    trustee.put("event_log", b64(LOG.build()));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "tpm-boot");
    request.put("instance_id", "i-trustee");
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "tpm",
            "data",
            b64(Json.write(trustee).getBytes(StandardCharsets.UTF_8)),
            "keys",
            List.of(TpmFixtures.pem(AK.getPublic()))));

    var response = server.anonymous().post("/v1/attest", request);

    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  @Test
  void logNotReplayingToTheQuote_isRefused() throws Exception {
    var response = attest(EventLogBuilder.tpm(EventLogBuilder.SHA256).secureBoot(7, false).build());

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.problem()).isEqualTo("evidence-rejected");
    assertThat(response.text()).contains("pcr 7");
  }

  @Test
  void eventLogNotBase64_isInvalidField() throws Exception {
    var response = attestWithRawEventLog("not base64 !");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problem()).isEqualTo("invalid-field");
    assertThat(response.text()).contains("evidence.event_log");
  }

  private static TestServer.Response attestWithRawEventLog(String text) throws Exception {
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "tpm-boot");
    request.put("instance_id", "i-tpm");
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put("evidence", Map.of("format", "tpm", "data", "AAAA", "event_log", text));
    return server.anonymous().post("/v1/attest", request);
  }
}
