// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.internal.Hex;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import dev.arbiter.testing.RepoPaths;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Differential check against sigstore-java 2.0.0 (offline, same trusted root). sigstore-java only
 * takes part of the vectors: it refuses bundles without an inclusion proof (p03, p04, p08, n01,
 * n02: "Could not find an inclusion proof") and Rekor {@code intoto} entries for DSSE (p01, p02:
 * "Expecting type dsse:0.0.2, but found intoto:0.0.2"), and needs a SHA-256 subject. That is why
 * Arbiter verifies with its own JCA code; on the vector both can take, they must agree, and on a
 * tampered copy of it too.
 */
class SigstoreJavaCrossCheckTest {
  private static final String P05 = "p05_slsa-v0.2_generic-hello.bundle-v0.3.json";
  private static final String SHA256 =
      "2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd";

  @Test
  void sigstoreJavaAndArbiter_agreeOnP05_andOnATamperedCopy() throws Exception {
    Path dir = RepoPaths.requireVectors("supplychain/provenance");
    Path root = dir.resolve("trust/sigstore-go_trusted-root-public-good.json");
    KeylessVerifier verifier =
        KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(root)).build();
    ProvenanceOptions options =
        ProvenanceOptions.defaults()
            .withTrustedRoot(TrustedRoot.parse(Files.readAllBytes(root)))
            .withExpectedDigest(ArtifactDigest.parse("sha256:" + SHA256))
            .withInsecureIgnoreIdentity();
    String valid = Files.readString(dir.resolve(P05), StandardCharsets.UTF_8);
    assertThat(ProvenanceVerifier.verify(valid.getBytes(StandardCharsets.UTF_8), options).valid())
        .isTrue();
    verifier.verify(
        Hex.decode(SHA256), Bundle.from(new StringReader(valid)), VerificationOptions.empty());

    // a different but well-formed DSSE signature (another valid DER ECDSA value)
    String tampered =
        valid.replace(
            "MEUCIQC4IQHTzF3ElzuSH3ehiIN3ajGZPMSZ1oskw3ke3eLhVQIgXp/MKPwa917TLEZBTFYR7s3/DSr672YS73OjBespvgE=",
            "MEUCIQC4IQHTzF3ElzuSH3ehiIN3ajGZPMSZ1oskw3ke3eLhVQIgXp/MKPwa917TLEZBTFYR7s3/DSr672YS73OjBespvgA=");
    assertThat(tampered).isNotEqualTo(valid);
    assertThat(
            ProvenanceVerifier.verify(tampered.getBytes(StandardCharsets.UTF_8), options).valid())
        .isFalse();
    assertThatThrownBy(() ->
            verifier.verify(
                Hex.decode(SHA256),
                Bundle.from(new StringReader(tampered)),
                VerificationOptions.empty()))
        .isInstanceOf(KeylessVerificationException.class);
  }
}
