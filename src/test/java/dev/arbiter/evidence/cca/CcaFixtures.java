// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.EcKeys;
import dev.arbiter.evidence.cose.CoseAlgorithm;
import dev.arbiter.evidence.cose.CoseFixtures;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** Synthetic CCA tokens: a test CPAK signs the platform token, a test RAK the realm token. */
final class CcaFixtures {
  static final byte[] CHALLENGE = filled(64, 0x5a);
  static final byte[] INSTANCE_ID = prefixed(0x01, filled(32, 0x07));
  static final byte[] IMPLEMENTATION_ID = filled(32, 0x7f);

  final KeyPair cpak = CertBuilder.ecKeyPair("secp384r1");
  final KeyPair rak = CertBuilder.ecKeyPair("secp384r1");

  byte[] rakBytes() {
    try {
      return EcKeys.uncompressed((ECPublicKey) rak.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  CBORObject realmClaims() {
    CBORObject rems = CBORObject.NewArray();
    for (int i = 0; i < 4; i++) {
      rems.Add(CBORObject.FromObject(filled(32, 0xe0 + i)));
    }
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(10, CHALLENGE);
    map.Add(44235, filled(64, 0x50));
    map.Add(44236, "sha-256");
    map.Add(44237, rakBytes());
    map.Add(44238, filled(32, 0xaa));
    map.Add(44239, rems);
    map.Add(44240, "sha-256");
    return map;
  }

  CBORObject platformClaims(byte[] rakBytes) {
    CBORObject component = CBORObject.NewOrderedMap();
    component.Add(1, "RMM");
    component.Add(2, filled(32, 0x33));
    component.Add(4, "1.0.0");
    component.Add(5, filled(32, 0x44));
    component.Add(6, "sha-256");
    CBORObject components = CBORObject.NewArray();
    components.Add(component);
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(265, "tag:arm.com,2023:cca_platform#1.0.0");
    map.Add(10, Digests.sha256(rakBytes));
    map.Add(256, INSTANCE_ID);
    map.Add(2395, 0x3003);
    map.Add(2396, IMPLEMENTATION_ID);
    map.Add(2399, components);
    map.Add(2400, "https://veraison.example");
    map.Add(2401, new byte[] {1, 2, 3});
    map.Add(2402, "sha-256");
    return map;
  }

  byte[] realmToken(CBORObject claims) {
    return CoseFixtures.sign1(CoseAlgorithm.ES384, rak.getPrivate(), claims.EncodeToBytes(), true);
  }

  byte[] platformToken(CBORObject claims) {
    return CoseFixtures.sign1(CoseAlgorithm.ES384, cpak.getPrivate(), claims.EncodeToBytes(), true);
  }

  static byte[] collection(byte[] platform, byte[] realm) {
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(44234, platform);
    map.Add(44241, realm);
    return CBORObject.FromObjectAndTag(map, 399).EncodeToBytes();
  }

  byte[] token() {
    return collection(platformToken(platformClaims(rakBytes())), realmToken(realmClaims()));
  }

  /** The CPAK as a Veraison trust-anchor list entry (JWK under {@code pkey}). */
  byte[] trustAnchorJson(byte[] instanceId) {
    try {
      byte[] point = EcKeys.uncompressed((ECPublicKey) cpak.getPublic());
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String json =
          "[{\"instance-id\":\""
              + dev.arbiter.internal.Hex.encode(instanceId)
              + "\","
              + "\"implementation-id\":\""
              + dev.arbiter.internal.Hex.encode(IMPLEMENTATION_ID)
              + "\","
              + "\"pkey\":{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\""
              + b64.encodeToString(Arrays.copyOfRange(point, 1, 49))
              + "\",\"y\":\""
              + b64.encodeToString(Arrays.copyOfRange(point, 49, 97))
              + "\"}}]";
      return json.getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] cpakPem() {
    return ("-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(cpak.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  static byte[] prefixed(int first, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = (byte) first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
