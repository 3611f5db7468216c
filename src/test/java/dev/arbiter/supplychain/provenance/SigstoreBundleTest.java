// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemType;
import dev.arbiter.supplychain.provenance.core.IdentityPolicy;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyless bundles from a generated Sigstore instance: the valid case and one bad-what per rule. */
class SigstoreBundleTest {
  private static final SigstoreFixture FIXTURE = new SigstoreFixture();
  private static final ProvenanceOptions OPTIONS =
      ProvenanceOptions.defaults()
          .withTrustedRoot(TrustedRoot.parse(FIXTURE.trustedRoot()))
          .withInsecureIgnoreIdentity();

  private static ProvenanceResult verify(
      Consumer<BundleBuilder> change, ProvenanceOptions options) {
    BundleBuilder builder = new BundleBuilder(FIXTURE);
    change.accept(builder);
    return ProvenanceVerifier.verify(builder.build(), options);
  }

  private static void assertProblems(ProvenanceResult result, ProblemType... types) {
    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).extracting(Problem::type).containsExactlyInAnyOrder(types);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
        "application/vnd.dev.sigstore.bundle.v0.3+json"
      })
  void valid_everyBundleVersion_isValidAtIntegratedTime(String mediaType) {
    ProvenanceResult result =
        verify(
            b -> b.mediaType = mediaType,
            OPTIONS
                .withExpectedDigest(ArtifactDigest.parse("sha256:" + "ab".repeat(32)))
                .withBuilderIds(Set.of("https://builder.test/v1"))
                .withIdentity(
                    Pattern.compile("https://github\\.com/example/repo/.+"),
                    SigstoreFixture.ISSUER));
    assertThat(result.problems()).isEmpty();
    assertThat(result.integratedTime()).isEqualTo(SigstoreFixture.INTEGRATED);
    assertThat(result.signer())
        .isEqualTo(
            new Signer(
                "certificate",
                result.signer().keyId(),
                SigstoreFixture.WORKFLOW,
                SigstoreFixture.ISSUER,
                true));
    assertThat(result.builderId()).isEqualTo("https://builder.test/v1");
  }

  @Test
  void valid_setOnlyV01_isValid() {
    assertThat(
            verify(
                    b -> {
                      b.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1";
                      b.omitProof = true;
                    },
                    OPTIONS)
                .problems())
        .isEmpty();
  }

  @Test
  void valid_proofOnlyV02_needsAtBecauseTimeIsUnverified() {
    assertProblems(
        verify(b -> b.omitSet = true, OPTIONS), ProvenanceProblem.PROVENANCE_TIME_UNVERIFIED);
    assertThat(verify(b -> b.omitSet = true, OPTIONS.withAt(SigstoreFixture.INTEGRATED)).problems())
        .isEmpty();
  }

  @Test
  void valid_messageSignatureBundle_reportsDigestSubject() {
    ProvenanceResult result =
        verify(
            b -> {
              b.messageSignature = true;
              b.payload = "artifact bytes".getBytes(StandardCharsets.UTF_8);
            },
            OPTIONS.withExpectedDigest(
                ArtifactDigest.of("artifact bytes".getBytes(StandardCharsets.UTF_8))));
    assertThat(result.problems()).isEmpty();
    assertThat(result.predicateType()).isNull();
    assertThat(result.subjects()).hasSize(1);
  }

  @Test
  void badMessageSignature_isSignatureInvalid() {
    assertProblems(
        verify(
            b -> {
              b.messageSignature = true;
              b.tamperSignature = true;
            },
            OPTIONS),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void badDsseSignature_isSignatureInvalid() {
    assertProblems(
        verify(b -> b.tamperSignature = true, OPTIONS),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void badSet_isTlogEntryInvalid() {
    assertProblems(
        verify(b -> b.tamperSet = true, OPTIONS), ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID);
  }

  @Test
  void badInclusionProof_isTlogEntryInvalid() {
    assertProblems(
        verify(b -> b.tamperProof = true, OPTIONS),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID);
  }

  @Test
  void badCheckpointSignature_isTlogEntryInvalid() {
    assertProblems(
        verify(b -> b.tamperCheckpoint = true, OPTIONS),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID);
  }

  @Test
  void badIntegratedTime_breaksTheSet() {
    // the SET covers the integrated time: logging it at one time and claiming another fails
    BundleBuilder builder = new BundleBuilder(FIXTURE);
    String bundle =
        new String(builder.build(), StandardCharsets.UTF_8)
            .replace(
                "\"integratedTime\":\"" + SigstoreFixture.INTEGRATED.getEpochSecond() + "\"",
                "\"integratedTime\":\""
                    + (SigstoreFixture.INTEGRATED.getEpochSecond() + 60)
                    + "\"");
    assertProblems(
        ProvenanceVerifier.verify(bundle.getBytes(StandardCharsets.UTF_8), OPTIONS),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID);
  }

  @Test
  void badLog_unknownLogId_isTlogEntryInvalid() {
    assertProblems(
        verify(b -> b.unknownLog = true, OPTIONS), ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID);
  }

  @Test
  void badTlogBody_otherPayloadLogged_isTlogEntryMismatch() {
    assertProblems(
        verify(b -> b.logOtherPayload = true, OPTIONS),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISMATCH);
    assertProblems(
        verify(
            b -> {
              b.logOtherPayload = true;
              b.mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";
            },
            OPTIONS),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISMATCH);
  }

  @Test
  void missingTlog_isTlogEntryMissing() {
    assertProblems(
        verify(b -> b.omitTlog = true, OPTIONS), ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING);
  }

  @Test
  void missingProofInV02_isTlogEntryMissing() {
    assertProblems(
        verify(b -> b.omitProof = true, OPTIONS), ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING);
  }

  @Test
  void missingSetInV01_isTlogEntryMissing() {
    assertProblems(
        verify(
            b -> {
              b.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1";
              b.omitSet = true;
            },
            OPTIONS),
        ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING);
  }

  @Test
  void badLeafTime_certificateNotValidAtIntegratedTime_isUntrusted() {
    assertProblems(
        verify(b -> b.leafSpec.notBefore = SigstoreFixture.INTEGRATED.plusSeconds(5), OPTIONS),
        ProvenanceProblem.PROVENANCE_CERTIFICATE_UNTRUSTED);
  }

  @Test
  void badVerificationTime_atWallClock_isUntrusted() {
    assertProblems(
        verify(b -> {}, OPTIONS.withAt(Instant.parse("2026-01-01T00:00:00Z"))),
        ProvenanceProblem.PROVENANCE_CERTIFICATE_UNTRUSTED);
  }

  @Test
  void badCa_leafFromForeignCa_isUntrusted() {
    KeyPair foreignKey = CertBuilder.ecKeyPair("secp384r1");
    var foreign =
        CertBuilder.subject("CN=test-sigstore-intermediate,O=arbiter.test", foreignKey.getPublic())
            .selfSigned(foreignKey.getPrivate())
            .ca(0)
            .build();
    assertProblems(
        verify(
            b -> {
              b.leafSpec.caCert = foreign;
              b.leafSpec.caKey = foreignKey.getPrivate();
            },
            OPTIONS),
        ProvenanceProblem.PROVENANCE_CERTIFICATE_UNTRUSTED);
  }

  @Test
  void badEku_leafWithoutCodeSigning_isUntrusted() {
    assertProblems(
        verify(b -> b.leafSpec.codeSigning = false, OPTIONS),
        ProvenanceProblem.PROVENANCE_CERTIFICATE_UNTRUSTED);
  }

  @Test
  void badSct_missingOrForeign_isSctInvalid() {
    assertProblems(
        verify(b -> b.leafSpec.sct = false, OPTIONS), ProvenanceProblem.PROVENANCE_SCT_INVALID);
    assertProblems(
        verify(b -> b.leafSpec.ctSigner = CertBuilder.ecKeyPair("secp256r1").getPrivate(), OPTIONS),
        ProvenanceProblem.PROVENANCE_SCT_INVALID);
  }

  @Test
  void badIdentity_andBadIssuer_areIdentityMismatch() {
    ProvenanceResult identity =
        verify(
            b -> {}, OPTIONS.withIdentity(Pattern.compile("https://github\\.com/other/.+"), null));
    assertProblems(identity, ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH);
    // a check ran (and failed): identity_checked says so
    assertThat(identity.signer().identityChecked()).isTrue();
    assertProblems(
        verify(b -> {}, OPTIONS.withIdentity(null, "https://accounts.google.com")),
        ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH);
    // the regex must match the whole identity, not a substring
    assertProblems(
        verify(b -> {}, OPTIONS.withIdentity(Pattern.compile("example/repo"), null)),
        ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH);
  }

  @Test
  void noIdentityRequirement_withoutOptOut_isIdentityRequired() {
    ProvenanceOptions strict =
        ProvenanceOptions.defaults().withTrustedRoot(TrustedRoot.parse(FIXTURE.trustedRoot()));
    assertProblems(verify(b -> {}, strict), ProvenanceProblem.PROVENANCE_IDENTITY_REQUIRED);
    // cosign: an identity without an issuer (or the reverse) is not enough
    assertProblems(
        verify(b -> {}, strict.withIdentity(Pattern.compile(".+"), null)),
        ProvenanceProblem.PROVENANCE_IDENTITY_REQUIRED);
    assertProblems(
        verify(b -> {}, strict.withIdentity(null, SigstoreFixture.ISSUER)),
        ProvenanceProblem.PROVENANCE_IDENTITY_REQUIRED);
    assertThat(
            verify(b -> {}, strict.withIdentity(Pattern.compile(".+"), SigstoreFixture.ISSUER))
                .problems())
        .isEmpty();
  }

  @Test
  void exactIdentity_mustEqualTheWholeIdentity() {
    ProvenanceOptions exact =
        OPTIONS.withIdentity(
            new IdentityPolicy(
                List.of(IdentityPolicy.NameMatch.exact(SigstoreFixture.WORKFLOW)),
                List.of(
                    IdentityPolicy.NameMatch.regexp(
                        Pattern.compile("https://token\\.actions\\..+"))),
                false));
    ProvenanceResult result = verify(b -> {}, exact);
    assertThat(result.problems()).isEmpty();
    assertThat(result.signer().identityChecked()).isTrue();
    // an exact requirement is not a regular expression: '.' matches only '.'
    ProvenanceOptions dots =
        OPTIONS.withIdentity(
            new IdentityPolicy(
                List.of(
                    IdentityPolicy.NameMatch.exact(SigstoreFixture.WORKFLOW.replace(".", "\\."))),
                List.of(),
                true));
    assertProblems(verify(b -> {}, dots), ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH);
  }

  @Test
  void emailIdentity_isReportedAndMatched() {
    ProvenanceResult result =
        verify(
            b -> {
              b.leafSpec.identity = "dev@example.test";
              b.leafSpec.issuer = "https://github.com/login/oauth";
            },
            OPTIONS.withIdentity(
                Pattern.compile("dev@example\\.test"), "https://github.com/login/oauth"));
    assertThat(result.problems()).isEmpty();
    assertThat(result.signer().identity()).isEqualTo("dev@example.test");
  }

  @Test
  void badMediaType_isUnsupported() {
    assertProblems(
        verify(b -> b.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.9", OPTIONS),
        ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED);
  }

  @Test
  void badPayloadType_isUnsupported() {
    assertProblems(
        verify(b -> b.payloadType = "text/plain", OPTIONS),
        ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED);
  }

  @Test
  void badStatement_wrongType_isStatementInvalid() {
    assertProblems(
        verify(
            b ->
                b.payload =
                    "{\"_type\":\"https://in-toto.io/Statement/v2\"}"
                        .getBytes(StandardCharsets.UTF_8),
            OPTIONS),
        ProvenanceProblem.PROVENANCE_STATEMENT_INVALID);
  }

  @Test
  void badPredicateType_isUnsupported() {
    assertProblems(
        verify(
            b ->
                b.payload =
                    Statements.withPredicateType("https://example.test/unknown")
                        .getBytes(StandardCharsets.UTF_8),
            OPTIONS),
        ProvenanceProblem.PROVENANCE_PREDICATE_UNSUPPORTED);
  }

  @Test
  void badDigest_andBadBuilder_areBothReported() {
    assertProblems(
        verify(
            b -> {},
            OPTIONS
                .withExpectedDigest(ArtifactDigest.parse("sha256:" + "cd".repeat(32)))
                .withBuilderIds(Set.of("https://other.test"))),
        ProvenanceProblem.PROVENANCE_DIGEST_MISMATCH,
        ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED);
  }

  @Test
  void badTrustedRoot_otherInstance_isUntrustedEverywhere() {
    ProvenanceOptions other =
        ProvenanceOptions.defaults()
            .withTrustedRoot(TrustedRoot.parse(new SigstoreFixture().trustedRoot()));
    ProvenanceResult result = verify(b -> {}, other);
    assertThat(result.valid()).isFalse();
    assertThat(result.problems())
        .extracting(Problem::type)
        .contains(ProvenanceProblem.PROVENANCE_TLOG_ENTRY_INVALID);
  }
}
