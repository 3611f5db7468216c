// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Azure SEV-SNP CVM vectors in ../shared/vectors/azure (trustee az-snp-vtpm), verified
 * against Arbiter's pinned AMD roots at a fixed time inside both VCEKs' validity, checking the
 * MANIFEST's facts: measurement, report data = SHA-256(runtime data), runtime keys and VM
 * configuration, vTPM quote nonce "challenge", PCR values.
 */
class AzureConformanceTest {
  /** Both VCEKs (2023-05-02..2030-05-02 and 2025-01-28..2032-01-28) are valid then. */
  static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));

  static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);
  private static final AzureSnpScheme SCHEME = AzureSnpScheme.withPinnedRoots();
  private static Path dir;

  @BeforeAll
  static void vectors() {
    dir = RepoPaths.requireVectors("azure").resolve("trustee-az-snp-vtpm");
  }

  static byte[] read(String name) throws IOException {
    return Files.readAllBytes(dir.resolve(name));
  }

  @Test
  void verify_evidenceV1Json_isValidWithManifestFacts() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(read("evidence-v1.json")), ExpectedBinding.exactly(CHALLENGE), AT);

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("measurement"))
        .contains(
            "6a063be9dd79f6371c842e480f8dc3b5c725961344e57130e88c5adf49e8f7f6c79b75a5eb77fc769959f4aeb2f9401e");
    assertThat(claims.get("report_data"))
        .contains(
            "af2910341dd8108360e485f1b72494255190b9cdd5ccb44b73b883037cf99f21" + "00".repeat(32));
    assertThat(claims.get("hcl.runtime_data_hash"))
        .contains("af2910341dd8108360e485f1b72494255190b9cdd5ccb44b73b883037cf99f21");
    assertThat(claims.get("version")).contains(3L);
    assertThat(claims.get("guest_svn")).contains(10L);
    assertThat(claims.get("policy")).contains(0x3001fL);
    assertThat(claims.get("vmpl")).contains(0L);
    assertThat(claims.get("host_data")).contains("00".repeat(32));
    assertThat(claims.get("reported_tcb.snp")).contains(0x18L);
    assertThat(claims.get("reported_tcb.microcode")).contains(0xdbL);
    assertThat(claims.get("chip_id").orElseThrow().toString())
        .startsWith("66a5a7b4403a3006ca734aa36a76dd30");
    assertThat(claims.get("revocation")).contains("unchecked");
    assertThat(claims.get("extra_data")).contains("6368616c6c656e6765");
    assertThat(claims.get("pcr0"))
        .contains("e15c44796beabf46abcec7c57e590942041e47497e4ec27571c8b7664f48dced");
    assertThat(claims.get("pcr23")).isPresent();
    assertThat(claims.get("vm_configuration.secure_boot")).contains(true);
    assertThat(claims.get("vm_configuration.tpm_enabled")).contains(true);
    assertThat(claims.get("vm_configuration.console_enabled")).contains(true);
    assertThat(claims.get("vm_configuration.vm_unique_id"))
        .contains("26F8BC30-774E-4290-8E7A-535F3B672AEE");
    assertThat(claims.get("user_data")).contains("00".repeat(64));
    assertThat(claims.get("ak_pub").orElseThrow().toString()).hasSize(64);
    assertThat(claims.get("ek_pub")).isPresent();
    assertThat(claims.get("hcl.report_type")).contains("snp");
    assertThat(claims.get("hcl.hash_type")).contains("sha256");
    assertThat(claims.get("hcl.version")).contains(1L);
    assertThat(claims.get("hcl.request_type")).contains(2L);
    assertThat(claims.get("hcl.status")).contains(0L);
    assertThat(claims.get("tpm.signature.scheme")).contains("raw");
    assertThat(claims.get("tpm.signature.hash")).contains("sha256");
  }

  @Test
  void verify_hclReportWithJsonQuote_isValidWithManifestFacts() throws IOException {
    VerificationResult result =
        SCHEME.verify(split("tpm-quote-v1.json"), ExpectedBinding.exactly(CHALLENGE), AT);

    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("measurement"))
        .contains(
            "9ac48fcac8a2d88aeeff8d427ad4f2be0e3917c748a18bdf52cc317e7fe20308b459d5ef1a12e0c22944eb386d17c315");
    assertThat(claims.get("report_data"))
        .contains(
            "b3fbad6514c83caeb0380882145e49f794229ef37c421b91fc47ff93556bafac" + "00".repeat(32));
    assertThat(claims.get("version")).contains(2L);
    assertThat(claims.get("guest_svn")).contains(5L);
    assertThat(claims.get("reported_tcb.snp")).contains(8L);
    assertThat(claims.get("reported_tcb.microcode")).contains(0x73L);
    assertThat(claims.get("current_tcb.microcode")).contains(0xd2L);
    assertThat(claims.get("chip_id").orElseThrow().toString())
        .startsWith("19752a447db501a32ade46428a46e926");
    assertThat(claims.get("pcr0"))
        .contains("f3a7e99a5f819a034386bce753a48a73cfdaa0bea0ecfc124bedbf5a8c4799be");
    assertThat(claims.get("extra_data")).contains("6368616c6c656e6765");
    assertThat(claims.get("vm_configuration.vm_unique_id"))
        .contains("911B0EF8-9DBA-48B0-B275-4E4DF2D39252");
  }

  @Test
  void verify_hclReportWithBincodeQuote_isValidWithSamePcr0() throws IOException {
    VerificationResult result =
        SCHEME.verify(split("quote.bin"), ExpectedBinding.exactly(CHALLENGE), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("extra_data")).contains("6368616c6c656e6765");
    assertThat(result.claims().get("pcr0"))
        .contains("f3a7e99a5f819a034386bce753a48a73cfdaa0bea0ecfc124bedbf5a8c4799be");
    assertThat(result.claims().get("tpm.pcr_selection.sha256"))
        .contains(java.util.stream.IntStream.range(0, 24).boxed().map(Long::valueOf).toList());
  }

  @Test
  void verify_otherNonce_isReportDataMismatch() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(read("evidence-v1.json")),
            ExpectedBinding.exactly(Hex.decode("00ff")),
            AT);

    assertThat(types(result.problems())).containsExactly("report-data-mismatch");
  }

  @Test
  void verify_quoteOfTheOtherVm_isSignatureInvalid() throws IOException {
    // evidence-v1.json's HCLAkPub did not sign the hcl-report.bin VM's quote.
    String json = new String(read("evidence-v1.json"), StandardCharsets.UTF_8);
    String other = new String(read("tpm-quote-v1.json"), StandardCharsets.UTF_8);
    var root =
        (com.fasterxml.jackson.databind.node.ObjectNode) dev.arbiter.internal.Json.readTree(json);
    root.set("tpm_quote", dev.arbiter.internal.Json.readTree(other));
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(root.toString().getBytes(StandardCharsets.UTF_8)),
            ExpectedBinding.exactly(CHALLENGE),
            AT);

    assertThat(types(result.problems())).containsExactly("signature-invalid");
  }

  @Test
  void verify_afterVcekExpiry_isCertificateExpired() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            split("quote.bin"),
            ExpectedBinding.exactly(CHALLENGE),
            VerificationContext.at(Instant.parse("2031-01-01T00:00:00Z")));

    assertThat(types(result.problems())).containsExactly("certificate-expired");
  }

  @Test
  void verify_byteArrayFormOfTheRealReport_isValidWithManifestFacts() throws IOException {
    // The SNP agent's first form (Trustee's EvidenceV0 for SNP), assembled from the real parts:
    // the bincode quote's fields and the NV-index HCL report as integer arrays, the VCEK as PEM.
    VtpmQuote quote = VtpmQuote.fromBincode(read("quote.bin"));
    String pem = new String(read("vcek.pem"), StandardCharsets.US_ASCII);
    String vcek = pem.substring(0, pem.indexOf("-----END CERTIFICATE-----") + 25) + "\n";
    String arrays =
        "{\"signature\":"
            + AzureFixtures.array(quote.signature())
            + ",\"message\":"
            + AzureFixtures.array(quote.message())
            + ",\"pcrs\":["
            + String.join(",", quote.pcrs().stream().map(AzureFixtures::array).toList())
            + "]}";
    byte[] evidence =
        AzureFixtures.byteArrayJson(arrays, AzureFixtures.array(read("hcl-report.bin")), vcek);

    VerificationResult result =
        SCHEME.verify(EvidenceInput.of(evidence), ExpectedBinding.exactly(CHALLENGE), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("evidence_form")).contains("byte-array");
    assertThat(result.claims().get("measurement"))
        .contains(
            "9ac48fcac8a2d88aeeff8d427ad4f2be0e3917c748a18bdf52cc317e7fe20308b459d5ef1a12e0c22944eb386d17c315");
    assertThat(result.claims().get("pcr0"))
        .contains("f3a7e99a5f819a034386bce753a48a73cfdaa0bea0ecfc124bedbf5a8c4799be");
    // hcl-report.bin is the whole 2600-byte NV index: report_size 2346, then 254 zero bytes.
    assertThat(result.claims().get("hcl.padding_bytes")).contains(254L);
  }

  @Test
  void verify_realV1EvidenceLabelledV2_isReportDataMismatch() throws IOException {
    // The capture's user data is 64 zero bytes, not the quote's extraData "challenge": it is v1
    // evidence, and the v2 rule refuses it.
    String json = new String(read("evidence-v1.json"), StandardCharsets.UTF_8);
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(
                json.replace("\"version\": 1", "\"version\": 2").getBytes(StandardCharsets.UTF_8)),
            ExpectedBinding.exactly(CHALLENGE),
            AT);

    assertThat(json).contains("\"version\": 1");
    assertThat(types(result.problems())).containsExactly("report-data-mismatch");
  }

  private static EvidenceInput split(String quote) throws IOException {
    return EvidenceInput.of(read("hcl-report.bin"))
        .withSignature(read(quote))
        .withCertificates(List.of(read("vcek.pem")));
  }

  static List<String> types(List<Problem> problems) {
    return problems.stream().map(problem -> problem.type().slug()).toList();
  }
}
