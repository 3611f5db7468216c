// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.PublicKeys;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.cose.CoseAlgorithm;
import dev.arbiter.evidence.cose.CoseFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Synthetic PSA tokens (both claim-key generations): one valid case and a bad-<what> case per rule.
 */
class PsaSchemeTest {
  static final KeyPair IAK = CertBuilder.ecKeyPair("secp256r1");
  static final byte[] NONCE = filled(32, 0x42);
  static final byte[] PEM =
      ("-----BEGIN PUBLIC KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(IAK.getPublic().getEncoded())
              + "\n-----END PUBLIC KEY-----\n")
          .getBytes(StandardCharsets.US_ASCII);

  static CBORObject claims2() {
    CBORObject component = CBORObject.NewOrderedMap();
    component.Add(1, "BL");
    component.Add(2, filled(32, 0x61));
    component.Add(4, "2.1.0");
    component.Add(5, filled(32, 0x62));
    CBORObject components = CBORObject.NewArray();
    components.Add(component);
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(265, "http://arm.com/psa/2.0.0");
    map.Add(10, NONCE);
    map.Add(256, prefixed(filled(32, 0x09)));
    map.Add(2394, -1);
    map.Add(2395, 0x3000);
    map.Add(2396, filled(32, 0x0a));
    map.Add(2397, filled(32, 0x0b));
    map.Add(2398, "1234567890123-12345");
    map.Add(2399, components);
    map.Add(2400, "https://verifier.example");
    return map;
  }

  static CBORObject claims1() {
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(-75000, "PSA_IOT_PROFILE_1");
    map.Add(-75001, 1);
    map.Add(-75002, 0x2000);
    map.Add(-75003, filled(32, 0x0a));
    map.Add(-75007, 1);
    map.Add(-75008, NONCE);
    map.Add(-75009, prefixed(filled(32, 0x09)));
    return map;
  }

  static byte[] sign(CBORObject claims) {
    return CoseFixtures.sign1(CoseAlgorithm.ES256, IAK.getPrivate(), claims.EncodeToBytes(), true);
  }

  private static VerificationResult verify(byte[] token, byte[]... keys) {
    return PsaScheme.withSuppliedKeys()
        .verify(
            EvidenceInput.of(token).withKeys(keys.length == 0 ? List.of(PEM) : List.of(keys)),
            ExpectedBinding.exactly(NONCE),
            VerificationContext.at(Instant.EPOCH));
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(Problem::type).map(EvidenceProblem.class::cast).toList();
  }

  @Test
  void valid_profile2_givesClaims() {
    VerificationResult result = verify(sign(claims2()));
    assertThat(result.problems()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("nonce")).contains(Hex.encode(NONCE));
    assertThat(claims.get("instance_id")).contains("01" + "09".repeat(32));
    assertThat(claims.get("implementation_id")).contains("0a".repeat(32));
    assertThat(claims.get("client_id")).contains(-1L);
    assertThat(claims.get("lifecycle_state")).contains("secured");
    assertThat(claims.get("boot_seed")).contains("0b".repeat(32));
    assertThat(claims.get("certification_reference")).contains("1234567890123-12345");
    assertThat(claims.get("verification_service")).contains("https://verifier.example");
    assertThat(claims.get("software_components"))
        .contains(
            List.of(
                Map.of(
                    "measurement_type",
                    "BL",
                    "measurement_value",
                    "61".repeat(32),
                    "version",
                    "2.1.0",
                    "signer_id",
                    "62".repeat(32))));
    assertThat(PsaScheme.CLAIMS).containsAll(claims.flatten().keySet());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                PsaScheme.withSuppliedKeys().descriptor(), claims, java.util.Set.of("boot_seed")))
        .containsExactlyInAnyOrderElementsOf(
            PsaScheme.withSuppliedKeys().descriptor().byteClaims().keySet());
  }

  @Test
  void valid_profile1_withNoSoftwareMeasurements() {
    VerificationResult result = verify(sign(claims1()));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("profile")).contains("PSA_IOT_PROFILE_1");
    assertThat(result.claims().get("lifecycle_state")).contains("psa_rot_provisioning");
    assertThat(result.claims().get("software_components")).contains(List.of());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                PsaScheme.withSuppliedKeys().descriptor(),
                result.claims(),
                java.util.Set.of("boot_seed")))
        .containsExactlyInAnyOrderElementsOf(
            PsaScheme.withSuppliedKeys().descriptor().byteClaims().keySet());
  }

  @Test
  void valid_withJwkOrLabelledAnchor() throws Exception {
    var point =
        dev.arbiter.crypto.EcKeys.uncompressed(
            (java.security.interfaces.ECPublicKey) IAK.getPublic());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String jwk =
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
            + b64.encodeToString(Arrays.copyOfRange(point, 1, 33))
            + "\",\"y\":\""
            + b64.encodeToString(Arrays.copyOfRange(point, 33, 65))
            + "\"}";
    assertThat(verify(sign(claims2()), jwk.getBytes()).problems()).isEmpty();
    String store = "[{\"instance-id\":\"01" + "09".repeat(32) + "\",\"pkey\":" + jwk + "}]";
    assertThat(verify(sign(claims2()), store.getBytes()).problems()).isEmpty();
    String other = "[{\"instance-id\":\"01" + "08".repeat(32) + "\",\"pkey\":" + jwk + "}]";
    assertThat(types(verify(sign(claims2()), other.getBytes())))
        .containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
    assertThat(
            new PsaScheme(PublicKeys.parse(PEM))
                .verify(
                    EvidenceInput.of(sign(claims2())),
                    ExpectedBinding.none(),
                    VerificationContext.at(Instant.EPOCH))
                .problems())
        .isEmpty();
  }

  @Test
  void bad_signature_andWrongKey_areSignatureInvalid() {
    byte[] token = sign(claims2());
    assertThat(types(verify(CoseFixtures.flip(token, token.length - 2))))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
    KeyPair other = CertBuilder.ecKeyPair("secp256r1");
    byte[] forged =
        CoseFixtures.sign1(
            CoseAlgorithm.ES256, other.getPrivate(), claims2().EncodeToBytes(), true);
    assertThat(types(verify(forged))).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_nonce_isReportDataMismatch() {
    CBORObject claims = claims2();
    claims.Set(10, filled(32, 0x43));
    assertThat(types(verify(sign(claims)))).containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void bad_structure_isMalformed() {
    CBORObject mixed = claims2();
    mixed.Add(-75008, NONCE);
    CBORObject badUeid = claims2();
    badUeid.Set(256, filled(33, 0x02));
    CBORObject shortNonce = claims2();
    shortNonce.Set(10, filled(16, 0x01));
    CBORObject noComponents = claims2();
    noComponents.Remove(CBORObject.FromObject(2399));
    CBORObject noProfile = claims2();
    noProfile.Remove(CBORObject.FromObject(265));
    byte[] untagged =
        CoseFixtures.sign1(CoseAlgorithm.ES256, IAK.getPrivate(), claims2().EncodeToBytes(), false);
    for (byte[] token :
        List.of(
            sign(mixed),
            sign(badUeid),
            sign(shortNonce),
            sign(noComponents),
            sign(noProfile),
            untagged,
            CoseFixtures.append(sign(claims2()), (byte) 0x01),
            Arrays.copyOf(sign(claims2()), 100),
            new byte[0])) {
      assertThat(types(verify(token))).containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    }
  }

  @Test
  void bad_critHeaderOrUnknownAlgorithm_isUnsupported() {
    CBORObject header = CBORObject.NewOrderedMap();
    header.Add(1, -7);
    header.Add(2, CBORObject.NewArray().Add(99));
    byte[] crit =
        CoseFixtures.sign1(
            CoseAlgorithm.ES256,
            IAK.getPrivate(),
            header.EncodeToBytes(),
            claims2().EncodeToBytes(),
            18);
    CBORObject eddsa = CBORObject.NewOrderedMap();
    eddsa.Add(1, -8);
    byte[] unknown =
        CoseFixtures.sign1(
            CoseAlgorithm.ES256,
            IAK.getPrivate(),
            eddsa.EncodeToBytes(),
            claims2().EncodeToBytes(),
            18);
    assertThat(types(verify(crit))).containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
    assertThat(types(verify(unknown))).containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  static byte[] prefixed(byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = 0x01;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
