// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.Subject;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import dev.arbiter.supplychain.provenance.intoto.Predicates;
import dev.arbiter.supplychain.provenance.intoto.Statement;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * vectors/supplychain/intoto-attestation and the DSSE parts of intoto-layout, per their MANIFESTs.
 */
class IntotoConformanceTest {
  private static byte[] read(String folder, String name) throws IOException {
    return Files.readAllBytes(RepoPaths.requireVectors(folder).resolve(name));
  }

  @ParameterizedTest
  @CsvSource({
    "decoded_statement-v1_slsa-provenance-v1_npm-sigstore-2.0.0.json,"
        + " https://in-toto.io/Statement/v1, https://slsa.dev/provenance/v1,"
        + " https://github.com/actions/runner/github-hosted,"
        + " 0742a6fe2a91eb7e2c274144f6123f59a799732c9d9bfd3b7feac487f72eb44c",
    "decoded_statement-v0.1_slsa-provenance-v1_gha-gradle.json, https://in-toto.io/Statement/v0.1,"
        + " https://slsa.dev/provenance/v1,"
        + " https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_gradle_slsa3.yml@refs/tags/v2.1.0,"
        + " 28877ef0dc860ba1c22fa5745a5b737b965e1f627978dc5db34e1c0024a7ea7b",
    "decoded_statement-v0.1_slsa-provenance-v0.2_npm-sigstore-1.3.0.json,"
        + " https://in-toto.io/Statement/v0.1, https://slsa.dev/provenance/v0.2,"
        + " https://github.com/actions/runner,"
        + " 2c93e996274edb95cc413953000976628f13f1edfbe2038ffdd81f07ff7aa483",
    "decoded_statement-v0.1_slsa-provenance-v0.1_gcb.json, https://in-toto.io/Statement/v0.1,"
        + " https://slsa.dev/provenance/v0.1,"
        + " https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3,"
        + " da1c879c92705e27618f78b23606a47f026091f2895df79304a08a8f917bca74",
    "decoded_statement-v1_vsa-v1_gke-gce-pre.json, https://in-toto.io/Statement/v1,"
        + " https://slsa.dev/verification_summary/v1,"
        + " https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1,"
        + " 40ed89bf3b2b5203d50c2940dece08d1d35917168d5fbad681238ca04cb3463a",
  })
  void decodedStatements_parseWithTypesAndBuilderIds(
      String file, String type, String predicateType, String builderId, String sha256)
      throws IOException {
    byte[] bytes = read("supplychain/intoto-attestation", file);
    assertThat(Hex.encode(Digests.sha256(bytes))).isEqualTo(sha256);
    Statement statement = Statement.parse(bytes);
    assertThat(statement.type()).isEqualTo(type);
    assertThat(statement.predicateType()).isEqualTo(predicateType);
    var kind = Predicates.kind(predicateType).orElseThrow();
    assertThat(Predicates.builderId(kind, statement.predicate())).contains(builderId);
  }

  @Test
  void decodedStatements_subjectsAsListed() throws IOException {
    assertThat(
            Statement.parse(
                    read(
                        "supplychain/intoto-attestation",
                        "decoded_statement-v1_vsa-v1_gke-gce-pre.json"))
                .subjects())
        .containsExactly(new Subject("_", Map.of("gce_image_id", "8970095005306000053")));
    assertThat(
            Statement.parse(
                    read(
                        "supplychain/intoto-attestation",
                        "decoded_statement-v0.1_slsa-provenance-v0.1_gcb.json"))
                .subjects())
        .extracting(s -> s.digest().get("sha256"))
        .containsExactly("f472ca4b68898c951ac3b476cba919d0d56fca4ced631fabcead51e4b2b690e7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spec-example_release_1.json",
        "spec-example_release_3.json",
        "spec-example_release_4.json",
        "spec-example_svr_1.json",
        "spec-example_svr_2.json",
        "spec-example_svr_3.json"
      })
  void specExamplesWithTruncatedDigests_areInvalidStatements(String file) throws IOException {
    byte[] bytes = read("supplychain/intoto-attestation", file);
    assertThatThrownBy(() -> Statement.parse(bytes))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e ->
                assertThat(e.problem().type())
                    .isEqualTo(ProvenanceProblem.PROVENANCE_STATEMENT_INVALID));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spec-example_test-result_1.json",
        "spec-example_reference_1.json",
        "spec-example_reference_2.json"
      })
  void specExamplesWithFullDigests_parseButAreNotProvenancePredicates(String file)
      throws IOException {
    Statement statement = Statement.parse(read("supplychain/intoto-attestation", file));
    assertThat(statement.type()).isEqualTo(Statement.V1);
    assertThat(Predicates.kind(statement.predicateType())).isEmpty();
  }

  @Test
  void specExampleTestResult_subjectWithoutName() throws IOException {
    Statement statement =
        Statement.parse(read("supplychain/intoto-attestation", "spec-example_test-result_1.json"));
    assertThat(statement.subjects())
        .containsExactly(
            new Subject(null, Map.of("gitCommit", "d20ace7968ba43c0219f62d71334c1095bab1602")));
  }

  @Test
  void unsignedStatementAsProvenance_isMalformed() throws IOException {
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            read("supplychain/intoto-attestation", "spec-example_reference_1.json"),
            ProvenanceOptions.defaults());
    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_MALFORMED);
  }

  @Test
  void unverifiableCycloneDxEnvelope_parsesButHasNoTrustedSigner() throws IOException {
    byte[] bytes =
        read(
            "supplychain/intoto-attestation",
            "dsse_statement-v0.1_cyclonedx-predicate_centos-7_UNVERIFIABLE.intoto.jsonl");
    Envelope envelope =
        Envelope.parse(
            Json.readTree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip()));
    assertThat(Statement.parse(envelope.payload()).predicateType())
        .isEqualTo("https://cyclonedx.org/bom");
    assertThat(ProvenanceVerifier.verify(bytes, ProvenanceOptions.defaults()).problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY);
    List<TrustedKey> otherKey =
        TrustedKey.parse(read("supplychain/provenance", "trust/bcid-vsa-signing-key.pem"));
    assertThat(
            ProvenanceVerifier.verify(bytes, ProvenanceOptions.defaults().withKeys(otherKey))
                .problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @ParameterizedTest
  @CsvSource({
    "python-dsse-links/package.2f89b927.link, python-dsse-links/carl.pub,"
        + " python-dsse-links/bob.pub",
    "python-dsse-links/write-code.776a00e2.link, python-dsse-links/bob.pub,"
        + " python-dsse-links/carl.pub",
    "golang-demo/demo.dsse.layout, golang-demo/alice.pub, golang-demo/dan.pub",
  })
  void dsseInTotoMetadata_rsaPssOverPae_verifiesWithItsKeyOnly(
      String file, String key, String otherKey) throws IOException {
    Path dir = RepoPaths.requireVectors("supplychain/intoto-layout");
    Envelope envelope = Envelope.parse(Json.readTree(Files.readAllBytes(dir.resolve(file))));
    Signer signer =
        KeyedSignatures.verify(
            envelope, TrustedKey.parse(Files.readAllBytes(dir.resolve(key))), false);
    assertThat(signer.keyId()).isEqualTo(envelope.signatures().get(0).keyId());
    assertThatThrownBy(() ->
            KeyedSignatures.verify(
                envelope, TrustedKey.parse(Files.readAllBytes(dir.resolve(otherKey))), false))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e ->
                assertThat(e.problem().type())
                    .isEqualTo(ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID));
    // a link or layout is signed in-toto metadata but not an attestation Statement
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            Files.readAllBytes(dir.resolve(file)),
            ProvenanceOptions.defaults()
                .withKeys(TrustedKey.parse(Files.readAllBytes(dir.resolve(key)))));
    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_STATEMENT_INVALID);
  }

  @Test
  void unsignedLayoutTemplate_isRefused() throws IOException {
    Path dir = RepoPaths.requireVectors("supplychain/intoto-layout");
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            Files.readAllBytes(dir.resolve("python-dsse-links/demo.layout.template")),
            ProvenanceOptions.defaults()
                .withKeys(
                    TrustedKey.parse(
                        Files.readAllBytes(dir.resolve("python-dsse-links/alice.pub")))));
    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void classicSignedLayout_isNotDsseProvenance() throws IOException {
    Path dir = RepoPaths.requireVectors("supplychain/intoto-layout");
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            Files.readAllBytes(dir.resolve("golang-demo/demo.layout")),
            ProvenanceOptions.defaults());
    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_MALFORMED);
  }
}
