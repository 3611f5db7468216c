// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * Verifies one signature with one public key, choosing the algorithm from the key: ECDSA with the
 * curve's hash (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512), ASN.1 DER or raw IEEE P1363 {@code
 * r||s}; RSA PKCS#1 v1.5 or PSS (MGF1 with the same hash, salt = hash length) with SHA-256/384/512;
 * Ed25519. Never throws for malformed signatures. Used for signatures whose algorithm the key
 * determines (DSSE envelopes, Sigstore bundles, checkpoints, SCTs). Thread-safe.
 */
public final class KeySignatures {
  private KeySignatures() {}

  /** True when {@code signature} over {@code data} verifies under {@code key}. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return switch (key) {
      case ECPublicKey ec -> verifyEc(ec, data, signature);
      case RSAPublicKey rsa -> verifyRsa(rsa, data, signature);
      default -> isEd25519(key) && Providers.verify("Ed25519", key, data, signature);
    };
  }

  /** The JCA name of the ECDSA algorithm for a key's curve. */
  public static String ecAlgorithm(ECPublicKey key) {
    int bits = key.getParams().getCurve().getField().getFieldSize();
    return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
  }

  private static boolean verifyEc(ECPublicKey key, byte[] data, byte[] signature) {
    String algorithm = ecAlgorithm(key);
    if (signature.length > 0
        && signature[0] == 0x30
        && Providers.verify(algorithm, key, data, signature)) {
      return true;
    }
    int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
    if (signature.length == 2 * size) {
      byte[] der = rawToDer(signature);
      return Providers.verify(algorithm, key, data, der);
    }
    return false;
  }

  private static boolean verifyRsa(RSAPublicKey key, byte[] data, byte[] signature) {
    for (String hash : new String[] {"SHA-256", "SHA-384", "SHA-512"}) {
      String name = hash.replace("-", "");
      if (Providers.verify(name + "withRSA", key, data, signature)
          || verifyPss(key, hash, data, signature)) {
        return true;
      }
    }
    return false;
  }

  private static boolean verifyPss(RSAPublicKey key, String hash, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("RSASSA-PSS");
      int saltLength = Integer.parseInt(hash.substring(4)) / 8;
      verifier.setParameter(
          new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1));
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Parses a DER SubjectPublicKeyInfo of any supported algorithm (EC, RSA, Ed25519), as a key of
   * the fast signature provider when it has one (so verifications need no per-call key
   * translation).
   */
  public static PublicKey spki(byte[] der) throws java.security.GeneralSecurityException {
    java.security.GeneralSecurityException last = null;
    if (Providers.fast().isPresent()) {
      for (String algorithm : new String[] {"EC", "RSA"}) {
        try {
          return java.security.KeyFactory.getInstance(algorithm, Providers.fast().get())
              .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
          // fall through to the JDK
        }
      }
    }
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return java.security.KeyFactory.getInstance(algorithm)
            .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException e) {
        last = e;
      }
    }
    throw new java.security.GeneralSecurityException("unsupported or malformed public key", last);
  }

  private static boolean isEd25519(PublicKey key) {
    return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
  }

  /** Converts IEEE P1363 {@code r||s} to an ASN.1 DER ECDSA signature. */
  public static byte[] rawToDer(byte[] raw) {
    int half = raw.length / 2;
    byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)).toByteArray();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    integer(body, r);
    integer(body, s);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    length(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /**
   * Converts an ASN.1 DER ECDSA signature to IEEE P1363 {@code r||s} of {@code size} bytes (64 for
   * P-256).
   *
   * @throws java.security.SignatureException when {@code der} is not such a signature
   */
  public static byte[] derToRaw(byte[] der, int size) throws java.security.SignatureException {
    int half = size / 2;
    int[] at = {0};
    if (der.length < 8 || der[at[0]++] != 0x30 || derLength(der, at) != der.length - at[0]) {
      throw new java.security.SignatureException("not a DER ECDSA signature");
    }
    byte[] raw = new byte[size];
    for (int part = 0; part < 2; part++) {
      if (at[0] >= der.length || der[at[0]++] != 0x02) {
        throw new java.security.SignatureException("not a DER ECDSA signature");
      }
      int length = derLength(der, at);
      if (length <= 0 || at[0] + length > der.length) {
        throw new java.security.SignatureException("not a DER ECDSA signature");
      }
      BigInteger value = new BigInteger(Arrays.copyOfRange(der, at[0], at[0] + length));
      byte[] unsigned = value.toByteArray();
      int skip = unsigned.length > 1 && unsigned[0] == 0 ? 1 : 0;
      int bytes = unsigned.length - skip;
      if (value.signum() < 0 || bytes > half) {
        throw new java.security.SignatureException("ECDSA signature value out of range");
      }
      System.arraycopy(unsigned, skip, raw, part * half + half - bytes, bytes);
      at[0] += length;
    }
    if (at[0] != der.length) {
      throw new java.security.SignatureException("trailing bytes after the DER ECDSA signature");
    }
    return raw;
  }

  private static int derLength(byte[] der, int[] at) throws java.security.SignatureException {
    if (at[0] >= der.length) {
      throw new java.security.SignatureException("not a DER ECDSA signature");
    }
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    if (first != 0x81 || at[0] >= der.length) {
      throw new java.security.SignatureException("not a DER ECDSA signature");
    }
    return der[at[0]++] & 0xff;
  }

  private static void integer(ByteArrayOutputStream out, byte[] value) {
    out.write(0x02);
    length(out, value.length);
    out.writeBytes(value);
  }

  private static void length(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
    } else {
      out.write(0x81);
      out.write(length);
    }
  }
}
