// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shared PSA vectors through the CLI, checked against expected.json. */
class PsaConformanceTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "psa-2_0_0_sign1.bin, 10, 256, 2396, 2395, 2394, 2397, 265, 2400, 2399, 2398",
    "psa-iot-1_sign1.bin, -75008, -75009, -75003, -75002, -75001, -75004, -75000, -75010, -75006,"
        + " -75005"
  })
  void token_withTestIak_isValidWithManifestClaims(
      String name,
      String nonce,
      String instance,
      String implementation,
      String lifecycle,
      String client,
      String bootSeed,
      String profile,
      String service,
      String components,
      String reference)
      throws Exception {
    Path folder = RepoPaths.requireVectors("psa").resolve("veraison-psatoken");
    JsonNode expected =
        Json.readTree(Files.readAllBytes(folder.resolve("expected.json")))
            .get("vectors")
            .get(name)
            .get("claims");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            folder.resolve(name).toString(),
            "--key",
            folder.resolve("public.pem").toString(),
            "--report-data",
            expected.get(nonce).asText(),
            "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode claims = run.json().get("claims");
    assertThat(claims.get("nonce").asText()).isEqualTo(expected.get(nonce).asText());
    assertThat(claims.get("instance_id").asText()).isEqualTo(expected.get(instance).asText());
    assertThat(claims.get("implementation_id").asText())
        .isEqualTo(expected.get(implementation).asText());
    assertThat(claims.get("lifecycle").asLong())
        .isEqualTo(expected.get(lifecycle).asLong())
        .isEqualTo(12288);
    assertThat(claims.get("lifecycle_state").asText()).isEqualTo("secured");
    assertThat(claims.get("client_id").asLong()).isEqualTo(expected.get(client).asLong());
    assertThat(claims.get("boot_seed").asText()).isEqualTo(expected.get(bootSeed).asText());
    assertThat(claims.get("profile").asText()).isEqualTo(expected.get(profile).asText());
    assertThat(claims.get("verification_service").asText())
        .isEqualTo(expected.get(service).asText());
    assertThat(claims.get("certification_reference").asText())
        .isEqualTo(expected.get(reference).asText());
    JsonNode actualComponents = claims.get("software_components");
    JsonNode expectedComponents = expected.get(components);
    assertThat(actualComponents).hasSize(expectedComponents.size());
    for (int i = 0; i < actualComponents.size(); i++) {
      assertThat(actualComponents.get(i).get("measurement_type").asText())
          .isEqualTo(expectedComponents.get(i).get("1").asText());
      assertThat(actualComponents.get(i).get("measurement_value").asText())
          .isEqualTo(expectedComponents.get(i).get("2").asText());
      assertThat(actualComponents.get(i).get("version").asText())
          .isEqualTo(expectedComponents.get(i).get("4").asText());
      assertThat(actualComponents.get(i).get("signer_id").asText())
          .isEqualTo(expectedComponents.get(i).get("5").asText());
      assertThat(actualComponents.get(i).get("measurement_desc").asText())
          .isEqualTo(expectedComponents.get(i).get("6").asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"psa-2_0_0_sign1.bin", "psa-iot-1_sign1.bin"})
  void token_withOtherNonce_isReportDataMismatch(String name) {
    Path folder = RepoPaths.requireVectors("psa").resolve("veraison-psatoken");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            folder.resolve(name).toString(),
            "--key",
            folder.resolve("public.pem").toString(),
            "--report-data",
            "01".repeat(32),
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:report-data-mismatch");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"psa-2_0_0_sign1.bin", "psa-iot-1_sign1.bin"})
  void token_withoutKey_isCertificateMissing_andWithCcaKey_isSignatureInvalid(String name) {
    Path folder = RepoPaths.requireVectors("psa").resolve("veraison-psatoken");
    CliRun none =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            folder.resolve(name).toString(),
            "--json");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:certificate-missing");
    Path ccaKey = RepoPaths.requireVectors("cca").resolve("veraison-ccatoken/cca_platform.pub");
    CliRun wrong =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "psa",
            "--evidence",
            folder.resolve(name).toString(),
            "--key",
            ccaKey.toString(),
            "--json");
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:signature-invalid");
  }
}
