// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared TPM vectors (go-tpm-tools GCE vTPM quotes, keylime tpm2-tools output) per their
 * MANIFEST.
 */
class TpmConformanceTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z"));

  private static Path vectors() {
    return RepoPaths.requireVectors("tpm");
  }

  private static byte[] read(Path path) throws Exception {
    return Files.readAllBytes(path);
  }

  private static TpmScheme googleCa() throws Exception {
    return new TpmScheme(
        Certificates.parse(read(vectors().resolve("go-tpm-tools/ca/tpm_ek_root_1.cer"))));
  }

  static Stream<Arguments> gceQuotes() {
    return Stream.of("gce-cos-85-no-nonce", "gce-cos-85-nonce9009")
        .flatMap(
            name -> Stream.of("sha1", "sha256", "sha384").map(bank -> Arguments.of(name, bank)));
  }

  private static JsonNode expectedQuote(String name, String bank) throws Exception {
    JsonNode expected = Json.readTree(read(vectors().resolve("go-tpm-tools/expected.json")));
    String id =
        switch (bank) {
          case "sha1" -> "0x4";
          case "sha256" -> "0xb";
          default -> "0xc";
        };
    for (JsonNode quote : expected.path("vectors").path(name + ".pb").path("quotes")) {
      if (quote.path("bank").asText().equals(id)) {
        return quote;
      }
    }
    throw new AssertionError("no expected quote for " + name + " " + bank);
  }

  private static EvidenceInput gceInput(String name, String bank) throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/" + name);
    return EvidenceInput.of(read(dir.resolve("quote-" + bank + ".attest")))
        .withSignature(read(dir.resolve("quote-" + bank + ".sig")))
        .withPcrs(read(dir.resolve("pcrs-" + bank + ".json")));
  }

  private static ExpectedBinding nonceOf(String name) {
    return ExpectedBinding.exactly(name.endsWith("9009") ? Hex.decode("9009") : new byte[0]);
  }

  @ParameterizedTest(name = "{0} {1} with ak_pub.tpmt")
  @MethodSource("gceQuotes")
  void gceQuote_withTpmtKey_verifiesWithManifestFacts(String name, String bank) throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/" + name);
    EvidenceInput input = gceInput(name, bank).withKeys(List.of(read(dir.resolve("ak_pub.tpmt"))));

    VerificationResult result = TpmScheme.withoutCas().verify(input, nonceOf(name), AT);

    assertThat(result.problems()).isEmpty();
    JsonNode expected = expectedQuote(name, bank);
    var claims = result.claims();
    assertThat(claims.get("qualified_signer")).contains(expected.path("qualifiedSigner").asText());
    assertThat(claims.get("extra_data")).contains(expected.path("extraData_hex").asText());
    assertThat(claims.get("clock")).contains(expected.path("clock").asLong());
    assertThat(claims.get("reset_count")).contains(10L);
    assertThat(claims.get("restart_count")).contains(0L);
    assertThat(claims.get("firmware_version")).contains("2016051100162800");
    assertThat(claims.get("pcr_digest")).contains(expected.path("pcrDigest").asText());
    assertThat(claims.get("signature.scheme")).contains("rsassa");
    assertThat(claims.get("signature.hash")).contains("sha256");
    assertThat(claims.get("ak.name"))
        .contains("000bf175bdb57297b2b289973f819863d6c9d09c236725676914f4248c9a2404c2a4");
    String pcr0 =
        Json.readTree(read(dir.resolve("pcrs-" + bank + ".json"))).path("pcrs").path("0").asText();
    assertThat(claims.get("pcrs." + bank + ".pcr0")).contains(pcr0);
    assertThat(claims.get(bank.equals("sha256") ? "pcr0" : bank + ":pcr0")).contains(pcr0);
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                TpmScheme.withoutCas().descriptor(),
                claims,
                java.util.Set.of("qualified_signer", "extra_data")))
        .contains(
            "magic",
            "firmware_version",
            "pcr_digest",
            "ak.key_sha256",
            "ak.name",
            "pcrs." + bank + ".pcr0",
            bank.equals("sha256") ? "pcr0" : bank + ":pcr0");
  }

  @ParameterizedTest(name = "{0} {1} with the AK certificate")
  @MethodSource("gceQuotes")
  void gceQuote_withAkCertificateToGoogleRoot_verifies(String name, String bank) throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/" + name);
    EvidenceInput input =
        gceInput(name, bank)
            .withCertificates(
                List.of(
                    read(dir.resolve("ak_cert.der")),
                    read(vectors().resolve("go-tpm-tools/ca/tpm_ek_intermediate_2.crt"))));

    VerificationResult result = googleCa().verify(input, nonceOf(name), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("ak.source")).contains("certificate");
    assertThat(result.claims().get("ak.certificate.issuer").orElseThrow().toString())
        .contains("tpm_ek_v1_cloud_host-signer");
    assertThat(result.claims().get("revocation")).contains("unchecked");
  }

  @Test
  void gceQuote_akCertificateWithoutConfiguredCa_isChainInvalid() throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009");
    EvidenceInput input =
        gceInput("gce-cos-85-nonce9009", "sha256")
            .withCertificates(List.of(read(dir.resolve("ak_cert.der"))));

    VerificationResult result = TpmScheme.withoutCas().verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .contains(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void gceQuote_afterAkCertificateExpiry_isCertificateExpired() throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009");
    EvidenceInput input =
        gceInput("gce-cos-85-nonce9009", "sha256")
            .withCertificates(
                List.of(
                    read(dir.resolve("ak_cert.der")),
                    read(vectors().resolve("go-tpm-tools/ca/tpm_ek_intermediate_2.crt"))));

    VerificationResult result =
        googleCa()
            .verify(
                input,
                ExpectedBinding.none(),
                VerificationContext.at(Instant.parse("2052-01-01T00:00:00Z")));

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.CERTIFICATE_EXPIRED);
  }

  @Test
  void gceQuote_wrongNonce_isReportDataMismatch() throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009");
    EvidenceInput input =
        gceInput("gce-cos-85-nonce9009", "sha256")
            .withKeys(List.of(read(dir.resolve("ak_pub.tpmt"))));

    VerificationResult result =
        TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(Hex.decode("9008")), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void gceQuote_pcrsOfAnotherQuote_isMeasurementMismatch() throws Exception {
    Path dir = vectors().resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009");
    String changed =
        new String(read(dir.resolve("pcrs-sha256.json")), java.nio.charset.StandardCharsets.UTF_8)
            .replaceFirst("\"0\": \"[0-9a-f]{2}", "\"0\": \"00");
    EvidenceInput input =
        gceInput("gce-cos-85-nonce9009", "sha256")
            .withKeys(List.of(read(dir.resolve("ak_pub.tpmt"))))
            .withPcrs(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    VerificationResult result = TpmScheme.withoutCas().verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.MEASUREMENT_MISMATCH);
    assertThat(result.claims().get("pcr0")).isEmpty();
  }

  @Test
  void keylimeQuote_withTpm2bPublicAndTpm2ToolsPcrFile_verifies() throws Exception {
    Path dir = vectors().resolve("keylime");
    JsonNode expected =
        Json.readTree(read(dir.resolve("expected.json"))).path("vectors").path("quote.out");
    for (String key : List.of("ak.pub", "akpub.pem")) {
      EvidenceInput input =
          EvidenceInput.of(read(dir.resolve("quote.out")))
              .withSignature(read(dir.resolve("quotesig.out")))
              .withKeys(List.of(read(dir.resolve(key))))
              .withPcrs(read(dir.resolve("quotepcr.out")));

      VerificationResult result =
          TpmScheme.withoutCas()
              .verify(
                  input,
                  ExpectedBinding.exactly(Hex.decode(expected.path("extraData_hex").asText())),
                  AT);

      assertThat(result.problems()).as(key).isEmpty();
      assertThat(result.claims().get("clock")).contains(5994L);
      assertThat(result.claims().get("qualified_signer"))
          .contains(expected.path("qualifiedSigner").asText());
      assertThat(result.claims().get("pcr_selection.sha256")).contains(List.of(15L, 16L, 22L));
      assertThat(result.claims().get("pcr16"))
          .contains(expected.path("pcr_values").path("16").asText());
      assertThat(result.claims().get("pcr22"))
          .contains(expected.path("pcr_values").path("22").asText());
    }
  }

  @Test
  void keylimeQuote_gceAk_isSignatureInvalid() throws Exception {
    Path dir = vectors().resolve("keylime");
    EvidenceInput input =
        EvidenceInput.of(read(dir.resolve("quote.out")))
            .withSignature(read(dir.resolve("quotesig.out")))
            .withKeys(
                List.of(
                    read(
                        vectors()
                            .resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009/ak_pub.tpmt"))));

    VerificationResult result = TpmScheme.withoutCas().verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @ParameterizedTest(name = "{0}.pb")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"gce-cos-85-no-nonce", "gce-cos-85-nonce9009"})
  void goTpmToolsProtobuf_withEmbeddedAkCertificate_verifiesAllThreeQuotes(String name)
      throws Exception {
    EvidenceInput input =
        EvidenceInput.of(read(vectors().resolve("go-tpm-tools/" + name + ".pb")))
            .withCertificates(
                List.of(read(vectors().resolve("go-tpm-tools/ca/tpm_ek_intermediate_2.crt"))));

    VerificationResult result = googleCa().verify(input, nonceOf(name), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("quote_count")).contains(3L);
    assertThat(result.claims().get("ak.source")).contains("certificate");
    JsonNode sha256 = expectedQuote(name, "sha256");
    JsonNode first = expectedQuote(name, "sha1");
    assertThat(result.claims().get("pcr_digest")).contains(first.path("pcrDigest").asText());
    Path dir = vectors().resolve("go-tpm-tools/extracted/" + name);
    for (String bank : List.of("sha1", "sha256", "sha384")) {
      String pcr7 =
          Json.readTree(read(dir.resolve("pcrs-" + bank + ".json")))
              .path("pcrs")
              .path("7")
              .asText();
      assertThat(result.claims().get(bank.equals("sha256") ? "pcr7" : bank + ":pcr7"))
          .as(bank)
          .contains(pcr7);
    }
    assertThat(sha256.path("pcrDigest").asText()).isNotEmpty();
  }

  @Test
  void goTpmToolsProtobuf_withoutCaOrKey_isRejected() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(read(vectors().resolve("go-tpm-tools/gce-cos-85-nonce9009.pb")));

    VerificationResult result = TpmScheme.withoutCas().verify(input, ExpectedBinding.none(), AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .contains(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void goTpmToolsProtobuf_withTpmtKey_verifies() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(read(vectors().resolve("go-tpm-tools/gce-cos-85-nonce9009.pb")))
            .withKeys(
                List.of(
                    read(
                        vectors()
                            .resolve("go-tpm-tools/extracted/gce-cos-85-nonce9009/ak_pub.tpmt"))));

    VerificationResult result =
        TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(Hex.decode("9009")), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("ak.source")).contains("key");
  }
}
