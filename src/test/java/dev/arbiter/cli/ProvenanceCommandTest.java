// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arbiter provenance verify} against the contract: JSON shape and exit codes 0/1/2. */
class ProvenanceCommandTest {
  private static final String P01 =
      "p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json";

  private static Path vectors() {
    return RepoPaths.requireVectors("supplychain/provenance");
  }

  @Test
  void verify_keylessBundleWithArtifactAndIdentity_printsContractJsonAndExits0() {
    Path dir = vectors();
    CliRun run =
        CliRun.of(
            "provenance",
            "verify",
            "--provenance",
            dir.resolve(P01).toString(),
            "--trusted-root",
            dir.resolve("trust/sigstore-go_trusted-root-public-good.json").toString(),
            "--artifact",
            dir.resolve("p01_artifact_workflow_dispatch-0.5.29.jar").toString(),
            "--builder-id",
            "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_gradle_slsa3.yml@refs/tags/v2.1.0",
            "--certificate-identity-regexp",
            "^https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/delegator_lowperms-generic_slsa3\\.yml@refs/tags/v.*$",
            "--certificate-oidc-issuer",
            "https://token.actions.githubusercontent.com",
            "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    JsonNode json = run.json();
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "verdict", "predicate_type", "builder_id", "subjects", "signer", "items", "problems");
    assertThat(json.path("items")).hasSize(1);
    assertThat(json.path("items").get(0).fieldNames())
        .toIterable()
        .containsExactly(
            "verdict", "predicate_type", "builder_id", "subjects", "signer", "problems");
    assertThat(json.path("verdict").asText()).isEqualTo("valid");
    assertThat(json.path("predicate_type").asText()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(json.path("subjects").get(0).path("name").asText())
        .isEqualTo("workflow_dispatch-0.5.29.jar");
    assertThat(json.path("subjects").get(0).path("digest").path("sha256").asText())
        .isEqualTo("adcaa9e6a70f00167630b1fd03279b5a0514c9645e02956907231be1732a0a14");
    JsonNode signer = json.path("signer");
    assertThat(signer.fieldNames())
        .toIterable()
        .containsExactly("kind", "key_id", "identity", "issuer", "identity_checked");
    assertThat(signer.path("kind").asText()).isEqualTo("certificate");
    assertThat(signer.path("identity_checked").asBoolean()).isTrue();
    assertThat(json.path("problems")).isEmpty();
  }

  @Test
  void verify_keyedNpmPublishWithDefaultRoot_hasNullBuilderAndKeySigner() {
    Path dir = vectors();
    CliRun run =
        CliRun.of(
            "provenance",
            "verify",
            "--provenance",
            dir.resolve("p04_npm-publish-keyed_sigstore-1.3.0.bundle-v0.1.json").toString(),
            "--key",
            dir.resolve("trust/npm-registry-publish-key_SHA256-jl3bwswu.pub").toString(),
            "--digest",
            "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751",
            "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(0);
    assertThat(run.json().path("builder_id").isNull()).isTrue();
    assertThat(run.json().path("signer").path("kind").asText()).isEqualTo("key");
    assertThat(run.json().path("signer").path("key_id").asText())
        .isEqualTo("SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA");
    assertThat(run.json().path("signer").path("identity_checked").asBoolean()).isFalse();
  }

  @Test
  void verify_invalidSet_exits1WithTypedProblem() {
    CliRun run =
        CliRun.of(
            "provenance",
            "verify",
            "--provenance",
            vectors().resolve("n02_FAIL_invalid-set.bundle-v0.1.json").toString(),
            "--insecure-ignore-identity",
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("verdict").asText()).isEqualTo("invalid");
    // its tampered SET is non-canonical base64, refused by the strict decoder
    assertThat(run.json().path("problems").get(0).path("type").asText())
        .isEqualTo("urn:arbiter:problem:provenance-malformed");
  }

  @Test
  void verify_wrongDigest_exits1WithDigestMismatch() {
    CliRun run =
        CliRun.of(
            "provenance",
            "verify",
            "--provenance",
            vectors().resolve(P01).toString(),
            "--digest",
            "sha256:" + "00".repeat(32),
            "--insecure-ignore-identity",
            "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("problems").get(0).path("type").asText())
        .isEqualTo("urn:arbiter:problem:provenance-digest-mismatch");
  }

  @Test
  void verify_textOutput_namesVerdict() {
    CliRun run =
        CliRun.of(
            "provenance",
            "verify",
            "--provenance",
            vectors().resolve(P01).toString(),
            "--insecure-ignore-identity");
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("provenance: valid");
  }

  @Test
  void verify_malformedProvenance_exits1WithMalformedProblem(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("bad.json"), "{\"payload\": 1}");
    CliRun run = CliRun.of("provenance", "verify", "--provenance", file.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("problems").get(0).path("type").asText())
        .isEqualTo("urn:arbiter:problem:provenance-malformed");
    assertThat(run.json().path("signer").isNull()).isTrue();
  }

  @Test
  void verify_usageErrors_exit2(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("p.json"), "{}");
    assertThat(CliRun.of("provenance", "verify").exitCode()).isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance", "verify", "--provenance", tmp.resolve("missing.json").toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--digest",
                    "sha256:abc")
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--digest",
                    "sha256:" + "00".repeat(32),
                    "--artifact",
                    file.toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--certificate-identity-regexp",
                    "(")
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--certificate-oidc-issuer-regexp",
                    "(")
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--certificate-identity",
                    "a",
                    "--certificate-identity-regexp",
                    "a")
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of("provenance", "verify", "--provenance", file.toString(), "--at", "yesterday")
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--key",
                    file.toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(
            CliRun.of(
                    "provenance",
                    "verify",
                    "--provenance",
                    file.toString(),
                    "--trusted-root",
                    file.toString())
                .exitCode())
        .isEqualTo(2);
  }

  /**
   * Every MANIFEST case with the identity and issuer its MANIFEST gives for keyless bundles (cosign
   * defaults: a keyless bundle without them is refused, see the second p08 row).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json | null | 0 |"
            + " https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_gradle_slsa3.yml@refs/tags/v2.1.0"
            + " | https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@refs/tags/v2.1.0"
            + " | https://token.actions.githubusercontent.com",
        "p02_slsa-v1_npm-sigstore-2.0.0.bundle-v0.1.json | null | 0 |"
            + " https://github.com/actions/runner/github-hosted |"
            + " https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
            + " | https://token.actions.githubusercontent.com",
        "p03_slsa-v0.2_npm-sigstore-1.3.0.bundle-v0.1.json | null | 0 |"
            + " https://github.com/actions/runner |"
            + " https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
            + " | https://token.actions.githubusercontent.com",
        "p04_npm-publish-keyed_sigstore-1.3.0.bundle-v0.1.json |"
            + " npm-registry-publish-key_SHA256-jl3bwswu.pub | 0 | null | null | null",
        "p04_npm-publish-keyed_sigstore-1.3.0.bundle-v0.1.json | null | 1 | null | null | null",
        "p05_slsa-v0.2_generic-hello.bundle-v0.3.json | null | 0 |"
            + " https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/main"
            + " | https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/main"
            + " | https://token.actions.githubusercontent.com",
        "p06_slsa-v0.1_gcb-keyed_container-github.gcloud.json | gcb_builtByGCB_us-west2.pem | 0 |"
            + " https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3 | null | null",
        "p06_slsa-v0.1_gcb-keyed_container-github.gcloud.json | gcb_builtByGCB_global-pae.pem | 1 |"
            + " null | null | null",
        "p07_vsa-v1_keyed_gke-gce-pre.dsse.jsonl | bcid-vsa-signing-key.pem | 0 |"
            + " https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1 | null | null",
        "p08_slsa-v0.2_npm-slsa-provenance-0.0.7_email-identity.bundle-v0.1.json | null | 0 |"
            + " https://github.com/npm/slsa-provenance@0.0.1 | brian@dehamer.com |"
            + " https://github.com/login/oauth",
        "p08_slsa-v0.2_npm-slsa-provenance-0.0.7_email-identity.bundle-v0.1.json | null | 1 | null"
            + " | null | null",
        "n01_FAIL_invalid-dsse-sig.bundle-v0.1.json | null | 1 | null | null | null",
        "n02_FAIL_invalid-set.bundle-v0.1.json | null | 1 | null | null | null",
      })
  void verify_everyManifestCase_hasItsVerdictAndBuilder(
      String file, String key, int exit, String builderId, String identity, String issuer) {
    Path dir = vectors();
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "provenance",
                "verify",
                "--provenance",
                dir.resolve(file).toString(),
                "--trusted-root",
                dir.resolve("trust/sigstore-go_trusted-root-public-good.json").toString(),
                "--json"));
    if (key != null) {
      args.addAll(java.util.List.of("--key", dir.resolve("trust/" + key).toString()));
    }
    if (identity != null) {
      args.addAll(
          java.util.List.of(
              "--certificate-identity", identity, "--certificate-oidc-issuer", issuer));
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exit);
    assertThat(run.json().path("verdict").asText()).isEqualTo(exit == 0 ? "valid" : "invalid");
    if (exit == 0) {
      assertThat(
              run.json().path("builder_id").isNull()
                  ? null
                  : run.json().path("builder_id").asText())
          .isEqualTo(builderId);
      assertThat(run.json().path("subjects")).isNotEmpty();
      assertThat(run.json().path("signer").path("identity_checked").asBoolean())
          .isEqualTo(identity != null);
    } else {
      assertThat(run.json().path("problems")).isNotEmpty();
    }
  }

  @Test
  void verify_npmAttestationsWithCorruptedSlsaSignature_exits1AndNamesTheItem(@TempDir Path tmp)
      throws IOException {
    var fixture = new dev.arbiter.supplychain.provenance.NpmAttestationsFixture();
    Path root = Files.write(tmp.resolve("root.json"), fixture.trustedRoot());
    Path key = Files.writeString(tmp.resolve("registry.pem"), fixture.registryKeyPem());
    Path good = Files.write(tmp.resolve("good.json"), fixture.attestations(false));
    Path bad = Files.write(tmp.resolve("bad.json"), fixture.attestations(true));
    String[] flags = {
      "--trusted-root",
      root.toString(),
      "--key",
      key.toString(),
      "--certificate-identity",
      dev.arbiter.supplychain.provenance.NpmAttestationsFixture.IDENTITY,
      "--certificate-oidc-issuer",
      dev.arbiter.supplychain.provenance.NpmAttestationsFixture.ISSUER,
      "--json"
    };

    CliRun valid =
        CliRun.of(
            concat(new String[] {"provenance", "verify", "--provenance", good.toString()}, flags));
    assertThat(valid.exitCode()).as(valid.out() + valid.err()).isEqualTo(0);
    assertThat(valid.json().path("predicate_type").asText())
        .isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(valid.json().path("items")).hasSize(2);

    CliRun refused =
        CliRun.of(
            concat(new String[] {"provenance", "verify", "--provenance", bad.toString()}, flags));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.json().path("verdict").asText()).isEqualTo("invalid");
    assertThat(refused.json().path("items").get(0).path("verdict").asText()).isEqualTo("valid");
    assertThat(refused.json().path("items").get(1).path("verdict").asText()).isEqualTo("invalid");
    JsonNode problem = refused.json().path("problems").get(0);
    assertThat(problem.path("type").asText())
        .isEqualTo("urn:arbiter:problem:provenance-signature-invalid");
    assertThat(problem.path("detail").asText()).startsWith("item 2: ");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
