// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.sevsnp.Product;
import dev.arbiter.evidence.sevsnp.SnpFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.TestServer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/attest} with {@code azure-snp-vtpm} evidence in each form the agent has emitted:
 * the server picks the form by content, and the v2 rule (HCL user data = extraData) holds there
 * too. The vTPM quote's extraData is SHA-256(B), Arbiter's binding for this format.
 */
class AzureAttestRouteTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(config ->
            config
                .withDev(true)
                .withSchemes(
                    BuiltInSchemes.registry()
                        .with(new AzureSnpScheme(SnpFixtures.pki(Product.MILAN).scheme()))));
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "azvm"));
    var registered =
        operator.post(
            "/v1/workloads/azvm/versions",
            Map.of(
                "version",
                "1",
                "reference_values",
                Map.of(
                    "azure-snp-vtpm",
                    Map.of("measurement", Hex.encode(AzureFixtures.MEASUREMENT)))));
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    operator.post("/v1/workloads/azvm/policy/accept", Map.of("version", "1", "reason", "go"));
    server.server().services().policyCache().reload("azvm");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Attests with evidence built for the challenge's binding, in the form {@code form} gives. */
  private static TestServer.Response attest(
      boolean userDataBound, Function<AzureFixtures.Built, byte[]> form) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    byte[] extraData = Digests.sha256(Binding.value(Base64.getUrlDecoder().decode(nonce), key));
    AzureFixtures.Spec spec = AzureFixtures.spec();
    spec.extraData = extraData;
    if (userDataBound) {
      spec.runtimeJson =
          AzureFixtures.runtimeJson(
              AzureFixtures.AK,
              "26F8BC30-774E-4290-8E7A-535F3B672AEE",
              Arrays.copyOf(extraData, 64));
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "azvm");
    request.put("instance_id", "cvm-1");
    request.put("nonce", nonce);
    request.put("tee_key", key.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "azure-snp-vtpm",
            "data",
            Base64.getEncoder().encodeToString(form.apply(AzureFixtures.build(spec)))));
    return server.anonymous().post("/v1/attest", request);
  }

  @Test
  void everyForm_isAffirming() throws Exception {
    Map<String, Function<AzureFixtures.Built, byte[]>> forms = new LinkedHashMap<>();
    forms.put("byte-array", AzureFixtures.Built::byteArrayJson);
    forms.put("trustee-v0", AzureFixtures.Built::v0Json);
    forms.put("trustee-v1", built -> built.evidenceJson(1));
    forms.put("trustee-v2", built -> built.evidenceJson(2));
    for (var form : forms.entrySet()) {
      var response = attest(true, form.getValue());
      assertThat(response.status()).as(form.getKey() + ": " + response.text()).isEqualTo(200);
      assertThat(response.json().path("status").asText()).isEqualTo("affirming");
    }
  }

  @Test
  void v2_withUserDataNotTheExtraData_isRefusedAsBindingMismatch_whileV1OfItIsAffirming()
      throws Exception {
    // The scheme's report-data-mismatch (HCL user data vs extraData) is, for the server, evidence
    // that is not bound to this nonce and key.
    var v2 = attest(false, built -> built.evidenceJson(2));
    assertThat(v2.status()).isEqualTo(422);
    assertThat(v2.problem()).isEqualTo("binding-mismatch");

    assertThat(attest(false, built -> built.evidenceJson(1)).status()).isEqualTo(200);
  }
}
