// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.cose.CoseAlgorithm;
import dev.arbiter.evidence.cose.CoseFixtures;
import dev.arbiter.evidence.cose.CoseKeys;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic CCA tokens: one valid case and a bad-<what> case per rule. */
class CcaSchemeTest {
  private static final CcaFixtures F = new CcaFixtures();
  private static final CcaScheme SCHEME = CcaScheme.withSuppliedKeys();

  private static VerificationResult verify(byte[] token, byte[]... keys) {
    EvidenceInput input =
        EvidenceInput.of(token)
            .withKeys(
                keys.length == 0
                    ? List.of(F.trustAnchorJson(CcaFixtures.INSTANCE_ID))
                    : List.of(keys));
    return SCHEME.verify(
        input,
        ExpectedBinding.exactly(CcaFixtures.CHALLENGE),
        VerificationContext.at(Instant.EPOCH));
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(Problem::type).map(EvidenceProblem.class::cast).toList();
  }

  @Test
  void valid_token_givesRealmAndPlatformClaims() {
    VerificationResult result = verify(F.token());
    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("realm.challenge")).contains(Hex.encode(CcaFixtures.CHALLENGE));
    assertThat(claims.get("realm.initial_measurement")).contains("aa".repeat(32));
    assertThat(claims.get("realm.rem3")).contains("e3".repeat(32));
    assertThat(claims.get("realm.personalization_value")).contains("50".repeat(64));
    assertThat(claims.get("realm.hash_algo")).contains("sha-256");
    assertThat(claims.get("platform.instance_id")).contains(Hex.encode(CcaFixtures.INSTANCE_ID));
    assertThat(claims.get("platform.implementation_id")).contains("7f".repeat(32));
    assertThat(claims.get("platform.lifecycle")).contains(0x3003L);
    assertThat(claims.get("platform.lifecycle_state")).contains("secured");
    assertThat(claims.get("platform.profile")).contains("tag:arm.com,2023:cca_platform#1.0.0");
    assertThat(claims.get("platform.hash_algo")).contains("sha-256");
    assertThat((List<?>) claims.get("platform.software_components").orElseThrow()).hasSize(1);
    assertThat(SCHEME.descriptor().claimNames()).containsAll(claims.flatten().keySet());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(),
                claims,
                java.util.Set.of("realm.public_key", "platform.config")))
        .containsExactlyInAnyOrderElementsOf(SCHEME.descriptor().byteClaims().keySet());
  }

  @Test
  void valid_withPemKey_andCoseKeyRak_andSha512Binding() {
    CBORObject realm = F.realmClaims();
    byte[] coseKey;
    try {
      coseKey = CoseKeys.toMap((ECPublicKey) F.rak.getPublic()).EncodeToBytes();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    realm.Set(44237, coseKey);
    realm.Set(44240, "sha-512");
    CBORObject platform = F.platformClaims(coseKey);
    platform.Set(10, Digests.sha512(coseKey));
    byte[] token = CcaFixtures.collection(F.platformToken(platform), F.realmToken(realm));
    VerificationResult result = verify(token, F.cpakPem());
    assertThat(result.problems()).isEmpty();
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                SCHEME.descriptor(),
                result.claims(),
                java.util.Set.of("realm.public_key", "platform.config")))
        .contains("platform.challenge");
    assertThat(result.claims().get("platform.challenge").orElseThrow().toString()).hasSize(128);
  }

  @Test
  void bad_binding_platformChallengeNotRakHash_isKeyBindingInvalid() {
    CBORObject platform = F.platformClaims(F.rakBytes());
    platform.Set(10, CcaFixtures.filled(32, 0x01));
    byte[] token = CcaFixtures.collection(F.platformToken(platform), F.realmToken(F.realmClaims()));
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.KEY_BINDING_INVALID);
  }

  @Test
  void bad_realmSignature_isSignatureInvalid() {
    byte[] realm = F.realmToken(F.realmClaims());
    byte[] token =
        CcaFixtures.collection(
            F.platformToken(F.platformClaims(F.rakBytes())),
            CoseFixtures.flip(realm, realm.length - 3));
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_realmSignedByAnotherKey_isSignatureInvalid() {
    var other = CertBuilder.ecKeyPair("secp384r1");
    byte[] realm =
        CoseFixtures.sign1(
            CoseAlgorithm.ES384, other.getPrivate(), F.realmClaims().EncodeToBytes(), true);
    byte[] token = CcaFixtures.collection(F.platformToken(F.platformClaims(F.rakBytes())), realm);
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_platformSignature_isSignatureInvalid() {
    byte[] platform = F.platformToken(F.platformClaims(F.rakBytes()));
    byte[] token =
        CcaFixtures.collection(
            CoseFixtures.flip(platform, platform.length - 3), F.realmToken(F.realmClaims()));
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_trustAnchor_otherInstance_isChainInvalid_andNoKeyIsMissing() {
    assertThat(types(verify(F.token(), F.trustAnchorJson(CcaFixtures.filled(33, 0x01)))))
        .containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
    var result =
        SCHEME.verify(
            EvidenceInput.of(F.token()),
            ExpectedBinding.none(),
            VerificationContext.at(Instant.EPOCH));
    assertThat(types(result)).containsExactly(EvidenceProblem.CERTIFICATE_MISSING);
  }

  @Test
  void bad_key_garbage_isKeyMalformed() {
    assertThat(types(verify(F.token(), "{\"kty\":\"EC\"}".getBytes())))
        .containsExactly(EvidenceProblem.KEY_MALFORMED);
  }

  @Test
  void bad_challenge_isReportDataMismatch() {
    CBORObject realm = F.realmClaims();
    realm.Set(10, CcaFixtures.filled(64, 0x00));
    byte[] token =
        CcaFixtures.collection(
            F.platformToken(F.platformClaims(F.rakBytes())), F.realmToken(realm));
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void bad_wrongOuterTag_untaggedInner_trailingGarbage_unknownClaim_areMalformed() {
    byte[] platform = F.platformToken(F.platformClaims(F.rakBytes()));
    byte[] realm = F.realmToken(F.realmClaims());
    CBORObject map = CBORObject.DecodeFromBytes(CcaFixtures.collection(platform, realm)).UntagOne();
    byte[] wrongTag = CBORObject.FromObjectAndTag(map, 398).EncodeToBytes();
    byte[] untaggedRealm =
        CoseFixtures.sign1(
            CoseAlgorithm.ES384, F.rak.getPrivate(), F.realmClaims().EncodeToBytes(), false);
    CBORObject extra = F.realmClaims();
    extra.Add(44999, 1);
    CBORObject shortRems = F.realmClaims();
    shortRems.get(44239).RemoveAt(3);
    for (byte[] token :
        List.of(
            wrongTag,
            map.EncodeToBytes(),
            CcaFixtures.collection(platform, untaggedRealm),
            CoseFixtures.append(F.token(), (byte) 0xf6),
            CcaFixtures.collection(platform, F.realmToken(extra)),
            CcaFixtures.collection(platform, F.realmToken(shortRems)),
            new byte[CcaToken.MAX_BYTES + 1])) {
      assertThat(types(verify(token))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    }
  }

  @Test
  void bad_rakNotOnCurve_isMalformed() {
    CBORObject realm = F.realmClaims();
    byte[] point = F.rakBytes();
    point[96] ^= 0x01;
    realm.Set(44237, point);
    byte[] token =
        CcaFixtures.collection(F.platformToken(F.platformClaims(point)), F.realmToken(realm));
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_rakHashAlgorithm_isUnsupported() {
    CBORObject realm = F.realmClaims();
    realm.Set(44240, "md5");
    byte[] token =
        CcaFixtures.collection(
            F.platformToken(F.platformClaims(F.rakBytes())), F.realmToken(realm));
    assertThat(types(verify(token))).containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }
}
