// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemType;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.Subject;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every case of vectors/supplychain/provenance/MANIFEST.md, with the facts the MANIFEST lists. */
class ProvenanceConformanceTest {
  static final String P01 = "p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json";
  static final String P02 = "p02_slsa-v1_npm-sigstore-2.0.0.bundle-v0.1.json";
  static final String P03 = "p03_slsa-v0.2_npm-sigstore-1.3.0.bundle-v0.1.json";
  static final String P04 = "p04_npm-publish-keyed_sigstore-1.3.0.bundle-v0.1.json";
  static final String P05 = "p05_slsa-v0.2_generic-hello.bundle-v0.3.json";
  static final String P06 = "p06_slsa-v0.1_gcb-keyed_container-github.gcloud.json";
  static final String P07 = "p07_vsa-v1_keyed_gke-gce-pre.dsse.jsonl";
  static final String P08 =
      "p08_slsa-v0.2_npm-slsa-provenance-0.0.7_email-identity.bundle-v0.1.json";
  static final String N01 = "n01_FAIL_invalid-dsse-sig.bundle-v0.1.json";
  static final String N02 = "n02_FAIL_invalid-set.bundle-v0.1.json";
  static final String GHA_ISSUER = "https://token.actions.githubusercontent.com";

  static Path dir;
  static ProvenanceOptions base;

  @BeforeAll
  static void load() {
    dir = RepoPaths.requireVectors("supplychain/provenance");
    // cryptographic checks; identity requirements are added per case (see
    // keyless_withoutIdentity...)
    base =
        ProvenanceOptions.defaults()
            .withTrustedRoot(
                TrustedRoot.parse(read("trust/sigstore-go_trusted-root-public-good.json")))
            .withInsecureIgnoreIdentity();
  }

  static byte[] read(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<TrustedKey> key(String name) {
    return TrustedKey.parse(read("trust/" + name));
  }

  static ProvenanceResult verify(String file, ProvenanceOptions options) {
    return ProvenanceVerifier.verify(read(file), options);
  }

  static void assertValid(ProvenanceResult result) {
    assertThat(result.problems()).as("problems").isEmpty();
    assertThat(result.valid()).isTrue();
  }

  static void assertOnly(ProvenanceResult result, ProblemType... types) {
    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).extracting(Problem::type).containsExactlyInAnyOrder(types);
  }

  @Test
  void p01_slsaV1InV01Statement_bundleV02_passesWithArtifactBuilderAndIdentity() {
    String builder =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_gradle_slsa3.yml@refs/tags/v2.1.0";
    String signerWorkflow =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@refs/tags/v2.1.0";
    ProvenanceResult result =
        verify(
            P01,
            base.withExpectedDigest(
                    ArtifactDigest.of(read("p01_artifact_workflow_dispatch-0.5.29.jar")))
                .withBuilderIds(Set.of(builder))
                .withIdentity(Pattern.compile(Pattern.quote(signerWorkflow)), GHA_ISSUER));
    assertValid(result);
    assertThat(result.predicateType()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(result.builderId()).isEqualTo(builder);
    assertThat(result.subjects())
        .containsExactly(
            new Subject(
                "workflow_dispatch-0.5.29.jar",
                Map.of(
                    "sha256", "adcaa9e6a70f00167630b1fd03279b5a0514c9645e02956907231be1732a0a14")));
    assertThat(result.signer().kind()).isEqualTo("certificate");
    assertThat(result.signer().identity()).isEqualTo(signerWorkflow);
    assertThat(result.signer().issuer()).isEqualTo(GHA_ISSUER);
    assertThat(result.signer().identityChecked()).isTrue();
    assertThat(result.integratedTime()).isEqualTo(Instant.ofEpochSecond(1740520715));
    assertThat(result.predicate().path("buildDefinition").path("buildType").asText())
        .isEqualTo("https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0");
  }

  @Test
  void p01_builderIdComparedWithSignerSan_isRefused() {
    String signerWorkflow =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@refs/tags/v2.1.0";
    assertOnly(
        verify(P01, base.withBuilderIds(Set.of(signerWorkflow))),
        ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED);
  }

  @Test
  void p01_otherArtifactDigest_isDigestMismatch() {
    assertOnly(
        verify(P01, base.withExpectedDigest(ArtifactDigest.of(new byte[] {1, 2, 3}))),
        ProvenanceProblem.PROVENANCE_DIGEST_MISMATCH);
  }

  @Test
  void p02_slsaV1Statement_bundleV01WithProof_passes() {
    String sha512 =
        "46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c";
    ProvenanceResult result =
        verify(
            P02,
            base.withExpectedDigest(ArtifactDigest.parse("sha512:" + sha512))
                .withIdentity(
                    Pattern.compile(
                        "https://github\\.com/sigstore/sigstore-js/\\.github/workflows/release\\.yml@refs/heads/main"),
                    GHA_ISSUER));
    assertValid(result);
    assertThat(result.builderId()).isEqualTo("https://github.com/actions/runner/github-hosted");
    assertThat(result.subjects())
        .containsExactly(new Subject("pkg:npm/sigstore@2.0.0", Map.of("sha512", sha512)));
    assertThat(result.integratedTime()).isEqualTo(Instant.ofEpochSecond(1692374735));
    assertThat(result.signer().identityChecked()).isTrue();
  }

  @Test
  void p03_setOnlyBundle_passesUnlessInclusionProofRequired() {
    ProvenanceResult result = verify(P03, base);
    assertValid(result);
    assertThat(result.predicateType()).isEqualTo("https://slsa.dev/provenance/v0.2");
    assertThat(result.builderId()).isEqualTo("https://github.com/actions/runner");
    assertThat(result.subjects())
        .extracting(Subject::name)
        .containsExactly("pkg:npm/sigstore@1.3.0");
    assertThat(result.signer().identity())
        .isEqualTo(
            "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main");
    assertThat(result.signer().identityChecked()).isFalse();
    assertThat(result.integratedTime()).isEqualTo(Instant.ofEpochSecond(1681839912));
    assertOnly(
        verify(P03, base.withRequireInclusionProof(true)),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING);
  }

  @Test
  void p04_keyedNpmPublish_passesWithNpmKeyOnly() {
    ProvenanceResult result =
        verify(P04, base.withKeys(key("npm-registry-publish-key_SHA256-jl3bwswu.pub")));
    assertValid(result);
    assertThat(result.predicateType())
        .isEqualTo("https://github.com/npm/attestation/tree/main/specs/publish/v0.1");
    assertThat(result.builderId()).isNull();
    assertThat(result.signer())
        .isEqualTo(Signer.key("SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA"));
    assertThat(result.predicate().path("version").asText()).isEqualTo("1.3.0");
    assertOnly(verify(P04, base), ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY);
    assertOnly(
        verify(P04, base.withKeys(key("bcid-vsa-signing-key.pem"))),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void p05_bundleV03DsseKind_passesCryptographically_butNotUnderTagOnlyBuilders() {
    ProvenanceResult result =
        verify(
            P05,
            base.withExpectedDigest(
                ArtifactDigest.parse(
                    "sha256:2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd")));
    assertValid(result);
    assertThat(result.builderId())
        .isEqualTo(
            "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/main");
    assertThat(result.subjects()).extracting(Subject::name).containsExactly("hello");
    assertThat(result.integratedTime()).isEqualTo(Instant.ofEpochSecond(1729825936));
    assertOnly(
        verify(
            P05,
            base.withBuilderIds(
                Set.of(
                    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0"))),
        ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED);
  }

  @Test
  void p06_gcbRawPayloadSignature_passesWithUsWest2KeyOnly() {
    ProvenanceResult result =
        verify(
            P06,
            base.withKeys(key("gcb_builtByGCB_us-west2.pem"))
                .withExpectedDigest(
                    ArtifactDigest.parse(
                        "sha256:f472ca4b68898c951ac3b476cba919d0d56fca4ced631fabcead51e4b2b690e7")));
    assertValid(result);
    assertThat(result.predicateType()).isEqualTo("https://slsa.dev/provenance/v0.1");
    assertThat(result.builderId())
        .isEqualTo("https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3");
    assertThat(result.subjects())
        .containsExactly(
            new Subject(
                "https://us-west2-docker.pkg.dev/gosst-scare-sandbox/quickstart-docker-repo/quickstart-image:v39",
                Map.of(
                    "sha256", "f472ca4b68898c951ac3b476cba919d0d56fca4ced631fabcead51e4b2b690e7")));
    assertThat(result.signer().keyId())
        .isEqualTo(
            "projects/verified-builder/locations/us-west2/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1");
    assertOnly(
        verify(P06, base.withKeys(key("gcb_builtByGCB_global-pae.pem"))),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void p06_envelopeOutsideGcbContainer_requiresPae() throws IOException {
    var root = dev.arbiter.internal.Json.readTree(read(P06));
    byte[] bare =
        root.path("provenance_summary")
            .path("provenance")
            .get(0)
            .path("envelope")
            .toString()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertOnly(
        ProvenanceVerifier.verify(bare, base.withKeys(key("gcb_builtByGCB_us-west2.pem"))),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void p07_vsaWithRawEcdsaSignature_passes() {
    ProvenanceResult result =
        verify(
            P07,
            base.withKeys(key("bcid-vsa-signing-key.pem"))
                .withBuilderIds(
                    Set.of("https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1")));
    assertValid(result);
    assertThat(result.predicateType()).isEqualTo("https://slsa.dev/verification_summary/v1");
    assertThat(result.builderId())
        .isEqualTo("https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1");
    assertThat(result.subjects())
        .containsExactly(new Subject("_", Map.of("gce_image_id", "8970095005306000053")));
    assertThat(result.signer().keyId()).isEqualTo("keystore://76574:prod:vsa_signing_public_key");
    assertThat(result.predicate().path("verificationResult").asText()).isEqualTo("PASSED");
    assertOnly(
        verify(P07, base.withKeys(key("gcb_builtByGCB_us-west2.pem"))),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void p08_emailIdentity_passesCryptographically_failsGithubWorkflowIdentity() {
    ProvenanceResult result =
        verify(
            P08,
            base.withIdentity(
                Pattern.compile("brian@dehamer\\.com"), "https://github.com/login/oauth"));
    assertValid(result);
    assertThat(result.builderId()).isEqualTo("https://github.com/npm/slsa-provenance@0.0.1");
    assertThat(result.subjects())
        .extracting(Subject::name)
        .containsExactly("slsa-provenance-0.0.7.tgz");
    assertThat(result.signer().identity()).isEqualTo("brian@dehamer.com");
    assertThat(result.signer().issuer()).isEqualTo("https://github.com/login/oauth");
    assertThat(result.integratedTime()).isEqualTo(Instant.ofEpochSecond(1668034836));
    assertOnly(
        verify(P08, base.withIdentity(Pattern.compile("https://github\\.com/.+"), GHA_ISSUER)),
        ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH,
        ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH);
  }

  @Test
  void n01_tamperedSignatureEncoding_isRefusedByTheStrictDecoder() {
    // the envelope signature is non-canonical base64 (non-zero pad bits): internal.Encodings
    // refuses
    // it before any check, so one signature cannot have two spellings
    ProvenanceResult result = verify(N01, base);
    assertOnly(result, ProvenanceProblem.PROVENANCE_MALFORMED);
    assertThat(result.problems().get(0).detail()).contains("sig").contains("non-canonical");
  }

  @Test
  void n02_invalidSet_failsOnSetOnly() {
    // the tampered SET is also non-canonical base64; a SET that decodes but does not verify is
    // covered by SigstoreBundleTest.badSet_isTlogEntryInvalid
    ProvenanceResult result = verify(N02, base);
    assertOnly(result, ProvenanceProblem.PROVENANCE_MALFORMED);
    assertThat(result.problems().get(0).detail())
        .contains("signedEntryTimestamp")
        .contains("non-canonical");
  }

  @ParameterizedTest
  @ValueSource(strings = {P01, P02, P03, P05, P08})
  void keyless_verifiesUnderRootSigningTrustedRootToo(String file) {
    assertValid(
        verify(
            file,
            ProvenanceOptions.defaults()
                .withTrustedRoot(
                    TrustedRoot.parse(read("trust/sigstore-root-signing_trusted_root.json")))
                .withInsecureIgnoreIdentity()));
  }

  @ParameterizedTest
  @ValueSource(strings = {P01, P02, P03, P05, P08})
  void keyless_verifiesUnderShippedDefaultRoot(String file) {
    assertValid(verify(file, ProvenanceOptions.defaults().withInsecureIgnoreIdentity()));
  }

  @ParameterizedTest
  @ValueSource(strings = {P01, P02, P03, P05, P08})
  void keyless_withoutIdentityAndIssuerRequirement_isRefusedAsInCosign(String file) {
    assertOnly(
        verify(file, ProvenanceOptions.defaults()), ProvenanceProblem.PROVENANCE_IDENTITY_REQUIRED);
  }

  @ParameterizedTest
  @ValueSource(strings = {P01, P02, P03, P05, P08})
  void keyless_atWallClockTime_failsBecauseTheLeafExpired(String file) {
    assertOnly(
        verify(file, base.withAt(Instant.parse("2026-01-01T00:00:00Z"))),
        ProvenanceProblem.PROVENANCE_CERTIFICATE_UNTRUSTED);
  }
}
