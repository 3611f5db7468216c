// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import static dev.arbiter.evidence.nitro.NitroFixtures.T;
import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.cose.CoseAlgorithm;
import dev.arbiter.evidence.cose.CoseFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated Nitro-like documents: one valid case and a bad-<what> case per rule. */
class NitroSchemeTest {
  private static final NitroFixtures F = new NitroFixtures();

  private static VerificationResult verify(byte[] document) {
    return verify(document, T);
  }

  private static VerificationResult verify(byte[] document, Instant at) {
    return F.scheme()
        .verify(
            EvidenceInput.of(document),
            ExpectedBinding.exactly(NitroFixtures.NONCE),
            VerificationContext.at(at));
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(Problem::type).map(EvidenceProblem.class::cast).toList();
  }

  @Test
  void valid_document_givesEveryClaim() {
    VerificationResult result = verify(F.document());
    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("module_id")).contains("i-0123456789abcdef0-enc0123456789abcdef");
    assertThat(claims.get("digest")).contains("SHA384");
    assertThat(claims.get("timestamp")).contains(T.toEpochMilli());
    assertThat(claims.get("pcr0")).contains("a0".repeat(48));
    assertThat(claims.get("pcr8")).contains("a8".repeat(48));
    assertThat(claims.get("pcr15")).contains("00".repeat(48));
    assertThat(claims.get("user_data")).contains("01".repeat(1024));
    assertThat(claims.get("nonce")).contains(Hex.encode(NitroFixtures.NONCE));
    assertThat(claims.get("public_key")).contains("30".repeat(91));
    assertThat(claims.get("debug")).contains(false);
    assertThat(F.scheme().descriptor().claimNames()).containsAll(claims.flatten().keySet());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                F.scheme().descriptor(),
                claims,
                java.util.Set.of("user_data", "nonce", "public_key")))
        .contains("pcr0", "pcr8", "pcr15");
  }

  @Test
  void valid_taggedDocument_isAccepted() {
    byte[] tagged =
        CoseFixtures.sign1(
            CoseAlgorithm.ES384, F.leafKey.getPrivate(), F.payload().EncodeToBytes(), true);
    assertThat(verify(tagged).problems()).isEmpty();
  }

  @Test
  void debug_zeroPcrs_areReportedAsClaim() {
    CBORObject payload = F.payload();
    for (int i = 0; i <= 2; i++) {
      payload.get("pcrs").Set(i, new byte[48]);
    }
    VerificationResult result = verify(F.sign(payload));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("debug")).contains(true);
  }

  @Test
  void bad_signature_isSignatureInvalid() {
    byte[] document = F.document();
    assertThat(types(verify(CoseFixtures.flip(document, document.length - 5))))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_payload_changedAfterSigning_isSignatureInvalid() {
    byte[] document = F.document();
    int index = indexOf(document, "enc0123".getBytes());
    assertThat(types(verify(CoseFixtures.flip(document, index))))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_signatureAndRoot_bothReported() {
    NitroFixtures other = new NitroFixtures();
    byte[] document = F.document();
    VerificationResult result =
        other
            .scheme()
            .verify(
                EvidenceInput.of(CoseFixtures.flip(document, document.length - 5)),
                ExpectedBinding.exactly(new byte[] {1}),
                VerificationContext.at(T));
    assertThat(types(result))
        .containsExactly(
            EvidenceProblem.SIGNATURE_INVALID,
            EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
            EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void bad_chain_missingIntermediate_isChainInvalid() {
    CBORObject payload = F.payload();
    payload.get("cabundle").RemoveAt(1);
    assertThat(types(verify(F.sign(payload))))
        .containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_root_otherPkiSameNames_isChainInvalid() {
    NitroFixtures other = new NitroFixtures();
    VerificationResult result =
        other
            .scheme()
            .verify(
                EvidenceInput.of(F.document()), ExpectedBinding.none(), VerificationContext.at(T));
    assertThat(types(result)).containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_selfSignedLeaf_isChainInvalid() {
    KeyPair key = CertBuilder.ecKeyPair("secp384r1");
    X509Certificate self =
        CertBuilder.subject("CN=self-signed attester", key.getPublic())
            .selfSigned(key.getPrivate())
            .build();
    CBORObject payload = F.payload();
    payload.Set("certificate", NitroFixtures.der(self));
    payload.Set("cabundle", CBORObject.Null);
    byte[] document =
        CoseFixtures.sign1(CoseAlgorithm.ES384, key.getPrivate(), payload.EncodeToBytes(), false);
    assertThat(types(verify(document))).containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_expired_afterLeafNotAfter_isCertificateExpired() {
    assertThat(types(verify(F.document(), T.plusSeconds(3 * 3600 + 60))))
        .containsExactly(EvidenceProblem.CERTIFICATE_EXPIRED);
    assertThat(types(verify(F.document(), T.minusSeconds(7200))))
        .containsExactly(EvidenceProblem.CERTIFICATE_EXPIRED);
  }

  @Test
  void bad_nonce_isReportDataMismatch_andMissingNonceToo() {
    CBORObject payload = F.payload();
    payload.Set("nonce", NitroFixtures.filled(32, 0x12));
    assertThat(types(verify(F.sign(payload))))
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
    payload.Set("nonce", CBORObject.Null);
    VerificationResult missing = verify(F.sign(payload));
    assertThat(types(missing)).containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
    assertThat(missing.claims().get("nonce")).isEmpty();
  }

  @Test
  void bad_trailingGarbage_isMalformed() {
    assertThat(types(verify(CoseFixtures.append(F.document(), (byte) 0x00))))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_oversized_isMalformed() {
    CBORObject payload = F.payload();
    payload.Set("user_data", new byte[1025]);
    assertThat(types(verify(F.sign(payload)))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    assertThat(types(verify(new byte[NitroDocument.MAX_BYTES + 1])))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_tag_isMalformed() {
    byte[] wrongTag =
        CBORObject.FromObjectAndTag(CBORObject.DecodeFromBytes(F.document()), 17).EncodeToBytes();
    assertThat(types(verify(wrongTag))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_algorithm_es256_isUnsupported() {
    KeyPair p256 = CertBuilder.ecKeyPair("secp256r1");
    byte[] document =
        CoseFixtures.sign1(
            CoseAlgorithm.ES256, p256.getPrivate(), F.payload().EncodeToBytes(), false);
    assertThat(types(verify(document))).containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void bad_pcrLength_unknownField_missingField_emptyModuleId_areMalformed() {
    CBORObject shortPcr = F.payload();
    shortPcr.get("pcrs").Set(3, new byte[32]);
    CBORObject unknown = F.payload();
    unknown.Add("extra", 1);
    CBORObject missing = F.payload();
    missing.Remove(CBORObject.FromObject("timestamp"));
    CBORObject emptyId = F.payload();
    emptyId.Set("module_id", "");
    CBORObject badIndex = F.payload();
    badIndex.get("pcrs").Add(32, new byte[48]);
    for (CBORObject payload : List.of(shortPcr, unknown, missing, emptyId, badIndex)) {
      assertThat(types(verify(F.sign(payload))))
          .as(payload.toString().substring(0, 40))
          .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    }
  }

  @Test
  void bad_digest_isUnsupported() {
    CBORObject payload = F.payload();
    payload.Set("digest", "SHA1");
    assertThat(types(verify(F.sign(payload)))).containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void bad_duplicateKeyInPayload_isMalformed() {
    byte[] payload = F.payload().EncodeToBytes();
    // a map header 0xa9 (9 entries) becomes 0xaa and the "digest" entry is repeated at the end
    payload[0] = (byte) 0xaa;
    CBORObject extra = CBORObject.NewOrderedMap();
    extra.Add("digest", "SHA384");
    byte[] entry =
        java.util.Arrays.copyOfRange(extra.EncodeToBytes(), 1, extra.EncodeToBytes().length);
    byte[] doubled = CoseFixtures.append(payload, entry);
    byte[] document =
        CoseFixtures.sign1(CoseAlgorithm.ES384, F.leafKey.getPrivate(), doubled, false);
    assertThat(types(verify(document))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_leafOnWrongCurve_isSignatureInvalid() {
    KeyPair p256 = CertBuilder.ecKeyPair("secp256r1");
    X509Certificate leaf =
        CertBuilder.subject("CN=p256 leaf", p256.getPublic())
            .issuer(F.intermediate, F.intermediateKey.getPrivate())
            .validity(T.minusSeconds(60), T.plusSeconds(60))
            .build();
    CBORObject payload = F.payload();
    payload.Set("certificate", NitroFixtures.der(leaf));
    assertThat(types(verify(F.sign(payload)))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_certificateBytes_isCertificateMalformed() {
    CBORObject payload = F.payload();
    payload.Set("certificate", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
    assertThat(types(verify(F.sign(payload))))
        .containsExactly(EvidenceProblem.CERTIFICATE_MALFORMED);
  }

  @Test
  void noBinding_skipsTheNonceCheck() {
    CBORObject payload = F.payload();
    payload.Set("nonce", CBORObject.Null);
    var result =
        F.scheme()
            .verify(
                EvidenceInput.of(F.sign(payload)),
                ExpectedBinding.none(),
                VerificationContext.at(T));
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void container_pemWithEmbeddedDocument_isUnwrapped_andWithoutOne_isMalformed() {
    byte[] document = F.document();
    KeyPair key = CertBuilder.ecKeyPair("secp384r1");
    X509Certificate cage =
        CertBuilder.subject("CN=cage", key.getPublic())
            .selfSigned(key.getPrivate())
            .dnsName("cage.example")
            .dnsName(Hex.encode(document) + ".cage.example")
            .build();
    byte[] pem =
        dev.arbiter.crypto.Certificates.toPem(cage)
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(verify(pem).problems()).isEmpty();
    X509Certificate plain =
        CertBuilder.subject("CN=plain", key.getPublic())
            .selfSigned(key.getPrivate())
            .dnsName("plain.example")
            .build();
    byte[] plainPem =
        dev.arbiter.crypto.Certificates.toPem(plain)
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(types(verify(plainPem))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
