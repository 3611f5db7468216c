// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared CCA vectors through the CLI, checked against expected.json and the MANIFEST. */
class CcaConformanceTest {
  static Stream<Arguments> positives() {
    Path root = RepoPaths.requireVectors("cca");
    return Stream.of(
        Arguments.of(
            root.resolve("veraison-ccatoken/cca_token.cbor"),
            root.resolve("veraison-ccatoken/cca_platform.pub")),
        Arguments.of(
            root.resolve("veraison-ccatoken/cca_token.cbor"),
            root.resolve("veraison-rust-ccatoken/ta-tfa.json")),
        Arguments.of(
            root.resolve("veraison-rust-ccatoken/cca-token-02.cbor"),
            root.resolve("veraison-rust-ccatoken/ta-02-ok.json")),
        Arguments.of(
            root.resolve("veraison-rust-ccatoken/cca-token-draft-ffm-00.cbor"),
            root.resolve("veraison-rust-ccatoken/ta-tfa.json")));
  }

  private static JsonNode facts(Path token) throws Exception {
    return Json.readTree(Files.readAllBytes(token.resolveSibling("expected.json")))
        .get("vectors")
        .get(token.getFileName().toString());
  }

  private static CliRun verify(Path token, Path key, String... more) {
    String[] base = {
      "evidence",
      "verify",
      "--format",
      "cca",
      "--evidence",
      token.toString(),
      "--key",
      key.toString(),
      "--json"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRun.of(args);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("positives")
  void token_withItsTrustAnchor_isValidWithManifestClaims(Path token, Path key) throws Exception {
    JsonNode facts = facts(token);
    CliRun run = verify(token, key, "--report-data", facts.get("realm_challenge").asText());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode realm = run.json().get("claims").get("realm");
    JsonNode platform = run.json().get("claims").get("platform");
    assertThat(realm.get("challenge").asText()).isEqualTo(facts.get("realm_challenge").asText());
    assertThat(realm.get("initial_measurement").asText())
        .isEqualTo(facts.get("realm_rim").asText());
    for (int i = 0; i < 4; i++) {
      assertThat(realm.get("rem" + i).asText()).isEqualTo(facts.get("realm_rem").get(i).asText());
    }
    assertThat(realm.get("personalization_value").asText())
        .isEqualTo(facts.get("realm_personalization").asText());
    assertThat(realm.get("hash_algo").asText()).isEqualTo(facts.get("realm_hash_algo").asText());
    assertThat(realm.get("public_key_hash_algo").asText())
        .isEqualTo(facts.get("realm_pub_key_hash_algo").asText());
    assertThat(platform.get("challenge").asText())
        .isEqualTo(facts.get("platform_challenge").asText());
    assertThat(platform.get("profile").asText()).isEqualTo(facts.get("platform_profile").asText());
    assertThat(platform.get("implementation_id").asText())
        .isEqualTo(facts.get("platform_impl_id").asText());
    assertThat(platform.get("instance_id").asText())
        .isEqualTo(facts.get("platform_inst_id").asText());
    assertThat(platform.get("lifecycle").asLong())
        .isEqualTo(facts.get("platform_lifecycle").asLong());
    JsonNode components = platform.get("software_components");
    assertThat(components).hasSize(facts.get("platform_sw_components").size());
    for (int i = 0; i < components.size(); i++) {
      JsonNode expected = facts.get("platform_sw_components").get(i);
      JsonNode actual = components.get(i);
      assertThat(actual.get("measurement_value").asText())
          .isEqualTo(expected.get("measurement").asText());
      assertThat(text(actual, "measurement_type")).isEqualTo(text(expected, "type"));
      assertThat(text(actual, "version")).isEqualTo(text(expected, "version"));
      assertThat(text(actual, "signer_id")).isEqualTo(text(expected, "signer_id"));
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("positives")
  void token_withOtherChallenge_isReportDataMismatch(Path token, Path key) {
    CliRun run = verify(token, key, "--report-data", "00".repeat(64));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(types(run)).containsExactly("report-data-mismatch");
  }

  @Test
  void bug33Repro_bothSignaturesVerify_butBindingFails() {
    Path root = RepoPaths.requireVectors("cca");
    CliRun run =
        verify(
            root.resolve("veraison-rust-ccatoken/bad-binding-bug-33-repro.cbor"),
            root.resolve("veraison-rust-ccatoken/ta-tfa.json"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(types(run)).containsExactly("key-binding-invalid");
  }

  @Test
  void badTrustAnchor_pointNotOnCurve_isKeyMalformed() {
    Path root = RepoPaths.requireVectors("cca");
    CliRun run =
        verify(
            root.resolve("veraison-rust-ccatoken/cca-token-02.cbor"),
            root.resolve("veraison-rust-ccatoken/ta-02-bad.json"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(types(run)).containsExactly("key-malformed");
    assertThat(run.json().get("problems").get(0).get("detail").asText())
        .contains("not on the curve");
  }

  @Test
  void token_withAnchorForAnotherInstance_isRefused() {
    Path root = RepoPaths.requireVectors("cca");
    CliRun run =
        verify(
            root.resolve("veraison-ccatoken/cca_token.cbor"),
            root.resolve("veraison-rust-ccatoken/ta-02-ok.json"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(types(run)).containsExactly("certificate-chain-invalid");
  }

  @Test
  void token_withUnlabelledWrongKey_isSignatureInvalid() throws Exception {
    Path root = RepoPaths.requireVectors("cca");
    Path psaKey = RepoPaths.requireVectors("psa").resolve("veraison-psatoken/public.pem");
    CliRun run = verify(root.resolve("veraison-rust-ccatoken/cca-token-02.cbor"), psaKey);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(types(run)).containsExactly("signature-invalid");
  }

  static java.util.List<String> types(CliRun run) {
    java.util.List<String> out = new java.util.ArrayList<>();
    run.json()
        .get("problems")
        .forEach(p -> out.add(p.get("type").asText().replace("urn:arbiter:problem:", "")));
    return out;
  }
}
