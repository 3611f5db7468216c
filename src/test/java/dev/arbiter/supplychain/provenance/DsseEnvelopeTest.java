// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemType;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed DSSE envelopes signed with generated keys of every supported algorithm, and tampering. */
class DsseEnvelopeTest {
  private static final String TYPE = "application/vnd.in-toto+json";
  private static final String SHA = "ab".repeat(32);
  private static final byte[] STATEMENT =
      Statements.slsaV02("app", SHA, "https://builder.test").getBytes(StandardCharsets.UTF_8);
  private static final KeyPair P256 = CertBuilder.ecKeyPair("secp256r1");

  static byte[] sign(String algorithm, PrivateKey key, byte[] data) throws Exception {
    Signature signer = Signature.getInstance(algorithm);
    if (algorithm.equals("RSASSA-PSS")) {
      signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    }
    signer.initSign(key);
    signer.update(data);
    return signer.sign();
  }

  static byte[] envelope(
      String payloadType, byte[] payload, String keyId, byte[] signature, boolean urlSafe) {
    ObjectNode node = Json.mapper().createObjectNode();
    Base64.Encoder encoder =
        urlSafe ? Base64.getUrlEncoder().withoutPadding() : Base64.getEncoder();
    node.put("payload", encoder.encodeToString(payload)).put("payloadType", payloadType);
    ObjectNode sig = node.putArray("signatures").addObject();
    if (keyId != null) {
      sig.put("keyid", keyId);
    }
    sig.put("sig", encoder.encodeToString(signature));
    return Json.write(node).getBytes(StandardCharsets.UTF_8);
  }

  static List<TrustedKey> keys(KeyPair pair) {
    return List.of(new TrustedKey(null, pair.getPublic()));
  }

  static ProvenanceResult verify(byte[] envelope, List<TrustedKey> keys) {
    return ProvenanceVerifier.verify(envelope, ProvenanceOptions.defaults().withKeys(keys));
  }

  static void assertProblems(ProvenanceResult result, ProblemType... types) {
    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).extracting(Problem::type).containsExactlyInAnyOrder(types);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"p256-der", "p256-raw", "p384-der", "p384-raw", "rsa-pkcs1", "rsa-pss", "ed25519"})
  void valid_everyAlgorithm_verifiesOverPae(String kind) throws Exception {
    KeyPair pair;
    byte[] signature;
    byte[] pae = Pae.encode(TYPE, STATEMENT);
    switch (kind) {
      case "p256-der", "p256-raw" -> {
        pair = P256;
        signature =
            sign(
                kind.endsWith("raw") ? "SHA256withECDSAinP1363Format" : "SHA256withECDSA",
                pair.getPrivate(),
                pae);
      }
      case "p384-der", "p384-raw" -> {
        pair = CertBuilder.ecKeyPair("secp384r1");
        signature =
            sign(
                kind.endsWith("raw") ? "SHA384withECDSAinP1363Format" : "SHA384withECDSA",
                pair.getPrivate(),
                pae);
      }
      case "rsa-pkcs1" -> {
        pair = CertBuilder.rsaKeyPair(2048);
        signature = sign("SHA256withRSA", pair.getPrivate(), pae);
      }
      case "rsa-pss" -> {
        pair = CertBuilder.rsaKeyPair(2048);
        signature = sign("RSASSA-PSS", pair.getPrivate(), pae);
      }
      default -> {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signature = sign("Ed25519", pair.getPrivate(), pae);
      }
    }
    ProvenanceResult result = verify(envelope(TYPE, STATEMENT, "k1", signature, false), keys(pair));
    assertThat(result.problems()).isEmpty();
    assertThat(result.signer()).isEqualTo(Signer.key("k1"));
    assertThat(result.builderId()).isEqualTo("https://builder.test");
    // the signature covers the PAE, not the raw payload
    byte[] rawSigned =
        kind.startsWith("p256") ? sign("SHA256withECDSA", pair.getPrivate(), STATEMENT) : null;
    if (rawSigned != null) {
      assertProblems(
          verify(envelope(TYPE, STATEMENT, "k1", rawSigned, false), keys(pair)),
          ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
    }
  }

  @Test
  void valid_urlSafeUnpaddedBase64_isAccepted() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    assertThat(verify(envelope(TYPE, STATEMENT, null, signature, true), keys(P256)).problems())
        .isEmpty();
  }

  @Test
  void valid_keyIdAbsent_reportsKeyFingerprint() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    ProvenanceResult result = verify(envelope(TYPE, STATEMENT, null, signature, false), keys(P256));
    assertThat(result.signer().keyId())
        .isEqualTo(new TrustedKey(null, P256.getPublic()).fingerprint());
  }

  @Test
  void badSignature_isSignatureInvalid() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    signature[10] ^= 1;
    assertProblems(
        verify(envelope(TYPE, STATEMENT, null, signature, false), keys(P256)),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void badPayload_changedAfterSigning_isSignatureInvalid() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    byte[] other =
        Statements.slsaV02("app", "cd".repeat(32), "https://builder.test")
            .getBytes(StandardCharsets.UTF_8);
    assertProblems(
        verify(envelope(TYPE, other, null, signature, false), keys(P256)),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void badPayloadType_changedAfterSigning_isSignatureInvalid() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    assertProblems(
        verify(
            envelope("application/vnd.in-toto.provenance+json", STATEMENT, null, signature, false),
            keys(P256)),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
  }

  @Test
  void badPayloadType_signedButNotInToto_isUnsupported() throws Exception {
    byte[] signature =
        sign("SHA256withECDSA", P256.getPrivate(), Pae.encode("application/json", STATEMENT));
    assertProblems(
        verify(envelope("application/json", STATEMENT, null, signature, false), keys(P256)),
        ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED);
  }

  @Test
  void badKey_otherKey_isSignatureInvalid_noKey_isNoTrustedKey() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    byte[] envelope = envelope(TYPE, STATEMENT, null, signature, false);
    assertProblems(
        verify(envelope, keys(CertBuilder.ecKeyPair("secp256r1"))),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
    assertProblems(verify(envelope, List.of()), ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY);
  }

  @Test
  void badHint_keyWithDeclaredOtherId_isNotTried() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    byte[] envelope = envelope(TYPE, STATEMENT, "key-a", signature, false);
    assertProblems(
        verify(envelope, List.of(new TrustedKey("key-b", P256.getPublic()))),
        ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY);
    assertThat(verify(envelope, List.of(new TrustedKey("key-a", P256.getPublic()))).problems())
        .isEmpty();
  }

  @Test
  void badStatement_truncatedSubjectDigest_isStatementInvalid() throws Exception {
    byte[] payload =
        Statements.slsaV02("app", "abcdef", "https://builder.test")
            .getBytes(StandardCharsets.UTF_8);
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, payload));
    assertProblems(
        verify(envelope(TYPE, payload, null, signature, false), keys(P256)),
        ProvenanceProblem.PROVENANCE_STATEMENT_INVALID);
  }

  @Test
  void badBuilder_andBadDigest_areReported() throws Exception {
    byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT));
    ProvenanceResult result =
        ProvenanceVerifier.verify(
            envelope(TYPE, STATEMENT, null, signature, false),
            ProvenanceOptions.defaults()
                .withKeys(keys(P256))
                .withBuilderIds(Set.of("https://other.test"))
                .withExpectedDigest(ArtifactDigest.parse("sha256:" + "cd".repeat(32))));
    assertProblems(
        result,
        ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED,
        ProvenanceProblem.PROVENANCE_DIGEST_MISMATCH);
    // the statement's content is still reported for diagnosis, verdict invalid
    assertThat(result.builderId()).isEqualTo("https://builder.test");
  }

  @Test
  void jsonLines_oneInvalidEnvelope_failsClosed_allInvalidListsEveryItem() throws Exception {
    byte[] good =
        envelope(
            TYPE,
            STATEMENT,
            null,
            sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, STATEMENT)),
            false);
    byte[] bad =
        envelope(
            TYPE,
            STATEMENT,
            null,
            sign(
                "SHA256withECDSA",
                CertBuilder.ecKeyPair("secp256r1").getPrivate(),
                Pae.encode(TYPE, STATEMENT)),
            false);
    String lines =
        new String(bad, StandardCharsets.UTF_8)
            + "\n"
            + new String(good, StandardCharsets.UTF_8)
            + "\n";
    ProvenanceResult mixed = verify(lines.getBytes(StandardCharsets.UTF_8), keys(P256));
    assertProblems(mixed, ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
    assertThat(mixed.problems().get(0).detail()).startsWith("item 1: ");
    assertThat(mixed.items()).extracting(ProvenanceResult::valid).containsExactly(false, true);
    assertThat(
            ProvenanceVerifier.verifyAll(
                lines.getBytes(StandardCharsets.UTF_8),
                ProvenanceOptions.defaults().withKeys(keys(P256))))
        .extracting(ProvenanceResult::valid)
        .containsExactly(false, true);
    String array =
        "["
            + new String(good, StandardCharsets.UTF_8)
            + ","
            + new String(bad, StandardCharsets.UTF_8)
            + "]";
    assertProblems(
        verify(array.getBytes(StandardCharsets.UTF_8), keys(P256)),
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
    String bothGood =
        "["
            + new String(good, StandardCharsets.UTF_8)
            + ","
            + new String(good, StandardCharsets.UTF_8)
            + "]";
    assertThat(verify(bothGood.getBytes(StandardCharsets.UTF_8), keys(P256)).problems()).isEmpty();
    String allBad =
        new String(bad, StandardCharsets.UTF_8) + "\n" + new String(bad, StandardCharsets.UTF_8);
    ProvenanceResult result = verify(allBad.getBytes(StandardCharsets.UTF_8), keys(P256));
    assertThat(result.problems()).hasSize(2);
    assertThat(result.problems().get(1).detail()).startsWith("item 2: ");
  }

  @Test
  void malformed_inputs_areTypedProblems() {
    for (String input :
        List.of(
            "",
            "not json",
            "[]",
            "{}",
            "{\"payload\":\"!!\",\"payloadType\":\"x\",\"signatures\":[]}",
            "{\"payload\":\"e30=\",\"payloadType\":\"x\",\"signatures\":{}}",
            "{\"_type\":\"https://in-toto.io/Statement/v1\"}",
            "{\"a\":1}\n{\"b\":2",
            "{\"mediaType\":\"application/vnd.dev.sigstore.bundle+json;version=0.1\"}")) {
      ProvenanceResult result = verify(input.getBytes(StandardCharsets.UTF_8), keys(P256));
      assertThat(result.valid()).as(input).isFalse();
      assertThat(result.problems()).as(input).isNotEmpty();
    }
  }

  @Test
  void badVsa_failedVerificationResult_isStatementInvalid() throws Exception {
    for (String result : new String[] {"PASSED", "FAILED"}) {
      byte[] payload =
          ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\""
                  + SHA
                  + "\"}}],\"predicateType\":\"https://slsa.dev/verification_summary/v1\",\"predicate\":{\"verifier\":{\"id\":\"https://verifier.test\"},"
                  + "\"verificationResult\":\""
                  + result
                  + "\",\"verifiedLevels\":[\"SLSA_BUILD_LEVEL_3\"]}}")
              .getBytes(StandardCharsets.UTF_8);
      byte[] signature = sign("SHA256withECDSA", P256.getPrivate(), Pae.encode(TYPE, payload));
      ProvenanceResult verified =
          verify(envelope(TYPE, payload, null, signature, false), keys(P256));
      if (result.equals("PASSED")) {
        assertThat(verified.problems()).isEmpty();
        assertThat(verified.builderId()).isEqualTo("https://verifier.test");
      } else {
        assertProblems(verified, ProvenanceProblem.PROVENANCE_STATEMENT_INVALID);
      }
    }
  }
}
