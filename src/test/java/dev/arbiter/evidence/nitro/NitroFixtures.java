// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.evidence.cose.CoseAlgorithm;
import dev.arbiter.evidence.cose.CoseFixtures;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A Nitro-like test PKI (root, regional intermediate, instance leaf, all P-384 like AWS's) and
 * synthetic attestation documents signed by the leaf, shaped like NSM output.
 */
final class NitroFixtures {
  static final Instant T = Instant.parse("2030-01-01T12:00:00Z");
  static final byte[] NONCE = filled(32, 0x11);

  final KeyPair rootKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate root =
      CertBuilder.subject("CN=test.nitro-enclaves,OU=Test,O=Arbiter", rootKey.getPublic())
          .selfSigned(rootKey.getPrivate())
          .ca(-1)
          .build();
  final KeyPair intermediateKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate intermediate =
      CertBuilder.subject(
              "CN=region.test.nitro-enclaves,OU=Test,O=Arbiter", intermediateKey.getPublic())
          .issuer(root, rootKey.getPrivate())
          .ca(-1)
          .validity(T.minusSeconds(86400 * 10), T.plusSeconds(86400 * 10))
          .build();
  final KeyPair leafKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate leaf =
      CertBuilder.subject("CN=i-0123456789abcdef0-enc0123456789abcdef.test", leafKey.getPublic())
          .issuer(intermediate, intermediateKey.getPrivate())
          .validity(T.minusSeconds(3600), T.plusSeconds(3 * 3600))
          .build();

  NitroScheme scheme() {
    return new NitroScheme(List.of(root));
  }

  /** A valid payload map in NSM's key order; tests mutate it. */
  CBORObject payload() {
    CBORObject pcrs = CBORObject.NewOrderedMap();
    for (int i = 0; i < 16; i++) {
      pcrs.Add(i, i <= 2 || i == 8 ? filled(48, 0xa0 + i) : new byte[48]);
    }
    CBORObject bundle = CBORObject.NewArray();
    bundle.Add(CBORObject.FromObject(der(root)));
    bundle.Add(CBORObject.FromObject(der(intermediate)));
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add("module_id", "i-0123456789abcdef0-enc0123456789abcdef");
    map.Add("digest", "SHA384");
    map.Add("timestamp", T.toEpochMilli());
    map.Add("pcrs", pcrs);
    map.Add("certificate", der(leaf));
    map.Add("cabundle", bundle);
    map.Add("public_key", filled(91, 0x30));
    map.Add("user_data", filled(1024, 0x01));
    map.Add("nonce", NONCE);
    return map;
  }

  byte[] sign(CBORObject payload) {
    return CoseFixtures.sign1(
        CoseAlgorithm.ES384, leafKey.getPrivate(), payload.EncodeToBytes(), false);
  }

  byte[] document() {
    return sign(payload());
  }

  static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
