// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import com.upokecenter.cbor.CBORObject;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/** Test-side COSE_Sign1 producer: signs synthetic payloads with test keys. */
public final class CoseFixtures {
  private CoseFixtures() {}

  /** A COSE_Sign1 with protected header {@code {1: alg}}, optionally with tag 18. */
  public static byte[] sign1(
      CoseAlgorithm algorithm, PrivateKey key, byte[] payload, boolean tagged) {
    CBORObject header = CBORObject.NewOrderedMap();
    header.Add(1, algorithm.id());
    return sign1(algorithm, key, header.EncodeToBytes(), payload, tagged ? CoseSign1.TAG : -1);
  }

  /** A COSE_Sign1 with explicit protected header bytes and tag (-1 for none). */
  public static byte[] sign1(
      CoseAlgorithm algorithm, PrivateKey key, byte[] protectedBytes, byte[] payload, int tag) {
    CBORObject toBeSigned = CBORObject.NewArray();
    toBeSigned.Add(CBORObject.FromObject("Signature1"));
    toBeSigned.Add(CBORObject.FromObject(protectedBytes));
    toBeSigned.Add(CBORObject.FromObject(new byte[0]));
    toBeSigned.Add(CBORObject.FromObject(payload));
    byte[] signature = sign(jca(algorithm), key, toBeSigned.EncodeToBytes());
    CBORObject array = CBORObject.NewArray();
    array.Add(CBORObject.FromObject(protectedBytes));
    array.Add(CBORObject.NewMap());
    array.Add(CBORObject.FromObject(payload));
    array.Add(CBORObject.FromObject(signature));
    return (tag < 0 ? array : CBORObject.FromObjectAndTag(array, tag)).EncodeToBytes();
  }

  static String jca(CoseAlgorithm algorithm) {
    return switch (algorithm) {
      case ES256 -> "SHA256withECDSAinP1363Format";
      case ES384 -> "SHA384withECDSAinP1363Format";
      case ES512 -> "SHA512withECDSAinP1363Format";
    };
  }

  public static byte[] sign(String algorithm, PrivateKey key, byte[] data) {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy with one byte flipped. */
  public static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  /** A copy with extra bytes appended. */
  public static byte[] append(byte[] bytes, byte... extra) {
    byte[] copy = java.util.Arrays.copyOf(bytes, bytes.length + extra.length);
    System.arraycopy(extra, 0, copy, bytes.length, extra.length);
    return copy;
  }
}
