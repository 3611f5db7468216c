// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Files with several signed items fail closed: an npm attestations document (a keyed publish
 * attestation and a keyless SLSA provenance bundle) verifies only when every item does.
 */
class MultiItemProvenanceTest {
  private static final NpmAttestationsFixture NPM = new NpmAttestationsFixture();
  private static final String PUBLISH = NpmAttestationsFixture.PUBLISH;
  private static final ProvenanceOptions OPTIONS =
      ProvenanceOptions.defaults()
          .withTrustedRoot(TrustedRoot.parse(NPM.trustedRoot()))
          .withKeys(List.of(new TrustedKey(null, NPM.registryPublicKey())))
          .withIdentity(
              Pattern.compile(Pattern.quote(SigstoreFixture.WORKFLOW)), SigstoreFixture.ISSUER);

  private static byte[] attestations(Consumer<BundleBuilder> slsa) {
    return NPM.attestations(slsa);
  }

  @Test
  void verify_everyItemValid_isValidAndDescribesTheSlsaItem() throws Exception {
    ProvenanceResult result = ProvenanceVerifier.verify(attestations(b -> {}), OPTIONS);
    assertThat(result.problems()).isEmpty();
    assertThat(result.predicateType()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(result.signer().kind()).isEqualTo(Signer.CERTIFICATE);
    assertThat(result.items())
        .extracting(ProvenanceResult::verdict)
        .containsExactly("valid", "valid");
    assertThat(result.items().get(0).predicateType()).isEqualTo(PUBLISH);
  }

  @Test
  void verify_corruptedSecondItemSignature_isInvalidWithProblemNamingTheItem() throws Exception {
    ProvenanceResult result =
        ProvenanceVerifier.verify(attestations(b -> b.tamperSignature = true), OPTIONS);
    assertThat(result.valid()).isFalse();
    assertThat(result.problems())
        .extracting(Problem::type)
        .contains(ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
    assertThat(result.problems()).allSatisfy(p -> assertThat(p.detail()).startsWith("item 2: "));
    assertThat(result.items())
        .extracting(ProvenanceResult::verdict)
        .containsExactly("valid", "invalid");
  }

  @Test
  void verify_missingKeyForTheFirstItem_isInvalidEvenThoughTheBundleVerifies() throws Exception {
    ProvenanceResult result =
        ProvenanceVerifier.verify(attestations(b -> {}), OPTIONS.withKeys(List.of()));
    assertThat(result.valid()).isFalse();
    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY);
    assertThat(result.problems().get(0).detail()).startsWith("item 1: ");
    assertThat(result.items())
        .extracting(ProvenanceResult::verdict)
        .containsExactly("invalid", "valid");
  }

  @Test
  void verify_builderPolicySatisfiedByOneItem_isValid() throws Exception {
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            attestations(b -> {}), OPTIONS.withBuilderIds(Set.of("https://builder.test/v1")));
    assertThat(result.problems()).isEmpty();
    assertThat(result.builderId()).isEqualTo("https://builder.test/v1");
    assertThat(result.items().get(0).problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED);
  }

  @Test
  void verify_policySatisfiedByNoItem_isInvalid() throws Exception {
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            attestations(b -> {}), OPTIONS.withBuilderIds(Set.of("https://other.test")));
    assertThat(result.valid()).isFalse();
    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(
            ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED,
            ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED);
  }

  @Test
  void verify_keylessItemWithoutIdentityRequirement_isRefusedUnlessIgnoredExplicitly()
      throws Exception {
    ProvenanceOptions none =
        OPTIONS.withIdentity(dev.arbiter.supplychain.provenance.core.IdentityPolicy.REQUIRED);
    ProvenanceResult refused = ProvenanceVerifier.verify(attestations(b -> {}), none);
    assertThat(refused.problems())
        .extracting(Problem::type)
        .containsExactly(ProvenanceProblem.PROVENANCE_IDENTITY_REQUIRED);
    assertThat(refused.problems().get(0).detail()).startsWith("item 2: ");
    ProvenanceResult ignored =
        ProvenanceVerifier.verify(attestations(b -> {}), none.withInsecureIgnoreIdentity());
    assertThat(ignored.problems()).isEmpty();
    assertThat(ignored.signer().identityChecked()).isFalse();
  }
}
