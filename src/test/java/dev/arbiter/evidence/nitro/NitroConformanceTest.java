// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared Nitro vectors through the CLI, checked against each folder's expected.json (MANIFEST
 * facts).
 */
class NitroConformanceTest {
  private static final String ZERO48 = "00".repeat(48);

  static Stream<Arguments> positives() throws Exception {
    Path root = RepoPaths.requireVectors("nitro");
    List<Arguments> out = new ArrayList<>();
    for (String folder : List.of("blocky-nitrite", "evervault")) {
      JsonNode vectors =
          Json.readTree(Files.readAllBytes(root.resolve(folder).resolve("expected.json")))
              .get("vectors");
      for (var entry : vectors.properties()) {
        if (entry.getValue().has("verify_at_unix")) {
          out.add(Arguments.of(root.resolve(folder).resolve(entry.getKey()), entry.getValue()));
        }
      }
    }
    assertThat(out).hasSize(7);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positives")
  void vector_atItsFixedTime_isValidWithManifestClaims(Path file, JsonNode facts) throws Exception {
    String at = Instant.ofEpochSecond(facts.get("verify_at_unix").asLong()).toString();
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nitro",
            "--evidence",
            file.toString(),
            "--at",
            at,
            "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode claims = run.json().get("claims");
    assertThat(run.json().get("verdict").asText()).isEqualTo("valid");
    assertThat(claims.get("module_id").asText()).isEqualTo(facts.get("module_id").asText());
    assertThat(claims.get("digest").asText()).isEqualTo("SHA384");
    assertThat(claims.get("timestamp").asLong()).isEqualTo(facts.get("timestamp_ms").asLong());
    int count = facts.get("pcr_count").asInt();
    for (int i = 0; i < count; i++) {
      JsonNode nonZero = facts.get("pcrs_nonzero").get(String.valueOf(i));
      assertThat(claims.get("pcr" + i).asText())
          .as("pcr" + i)
          .isEqualTo(nonZero == null ? ZERO48 : nonZero.asText());
    }
    assertThat(claims.has("pcr" + count)).isFalse();
    for (String field : List.of("nonce", "user_data", "public_key")) {
      checkBytes(field, claims.get(field), facts.get(field));
    }
    String name = file.getFileName().toString();
    boolean debug =
        (name.contains("debug") && !name.startsWith("non-debug"))
            || name.equals("valid-attestation-doc-base64");
    assertThat(claims.get("debug").asBoolean()).as("debug").isEqualTo(debug);
  }

  private static void checkBytes(String field, JsonNode claim, JsonNode fact) throws Exception {
    if (fact == null || fact.isNull()) {
      assertThat(claim).as(field).isNull();
    } else if (fact.isTextual()) {
      assertThat(claim.asText()).as(field).isEqualTo(fact.asText());
    } else {
      byte[] bytes = Hex.decode(claim.asText());
      assertThat(bytes).as(field).hasSize(fact.get("len").asInt());
      assertThat(Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes)))
          .isEqualTo(fact.get("sha256").asText());
      assertThat(claim.asText()).startsWith(fact.get("first16").asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positives")
  void vector_afterLeafExpiry_isCertificateExpired(Path file, JsonNode facts) {
    String at =
        OffsetDateTime.parse(facts.get("leaf").get("not_after").asText())
            .toInstant()
            .plusSeconds(60)
            .toString();
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nitro",
            "--evidence",
            file.toString(),
            "--at",
            at,
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:certificate-expired");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positives")
  void vector_withReportData_checksTheNonce(Path file, JsonNode facts) {
    String at = Instant.ofEpochSecond(facts.get("verify_at_unix").asLong()).toString();
    CliRun first =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nitro",
            "--evidence",
            file.toString(),
            "--at",
            at,
            "--json");
    JsonNode nonce = first.json().get("claims").get("nonce");
    String wrong = "ff".repeat(32);
    if (nonce != null) {
      CliRun right =
          CliRun.of(
              "evidence",
              "verify",
              "--format",
              "nitro",
              "--evidence",
              file.toString(),
              "--at",
              at,
              "--report-data",
              nonce.asText().toUpperCase(java.util.Locale.ROOT),
              "--json");
      assertThat(right.exitCode()).as(right.out()).isZero();
    }
    CliRun bad =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nitro",
            "--evidence",
            file.toString(),
            "--at",
            at,
            "--report-data",
            wrong,
            "--json");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.json().get("problems").get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:report-data-mismatch");
  }

  @Test
  void selfSignedDocument_signatureVerifiesButChainFails() {
    Path file =
        RepoPaths.requireVectors("nitro").resolve("blocky-nitrite/bad-selfsigned_attestation.b64");
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "nitro",
            "--evidence",
            file.toString(),
            "--at",
            "2024-04-17T19:00:00Z",
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("verdict").asText()).isEqualTo("invalid");
    JsonNode problems = run.json().get("problems");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).get("type").asText())
        .isEqualTo("urn:arbiter:problem:certificate-chain-invalid");
    assertThat(run.json().get("claims").get("module_id").asText())
        .isEqualTo("i-0e811925634bbd863-enc018274a97f16d616");
    assertThat(run.json().get("claims").get("pcr31").asText()).isEqualTo("30".repeat(48));
  }

  @Test
  void pinnedRoot_matchesTheSharedRootFile() throws Exception {
    Path pem = RepoPaths.requireVectors("nitro").resolve("roots/AWS_NitroEnclaves_Root-G1.pem");
    var shared = dev.arbiter.crypto.Certificates.parse(Files.readAllBytes(pem)).get(0);
    assertThat(dev.arbiter.crypto.Certificates.fingerprint(shared))
        .isEqualTo(NitroScheme.ROOT_G1_SHA256);
    assertThat(NitroScheme.withPinnedRoot().descriptor().id()).isEqualTo("nitro");
  }
}
