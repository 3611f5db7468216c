// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.EcKeys;
import dev.arbiter.crypto.PublicKeys;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Optional;

/**
 * A TPMT_PUBLIC (TPM 2.0 Part 2, 12.2.4) for an RSA or NIST P-256/P-384 ECC signing key, decoded
 * strictly (a TPM2B_PUBLIC size prefix is accepted). Carries the key's signing scheme, used for raw
 * signatures, and its TPM Name.
 *
 * @param name nameAlg || H(TPMT_PUBLIC), the key's TPM Name
 * @param restrictedSigning objectAttributes has both {@code sign} and {@code restricted}
 */
record TpmtPublic(
    PublicKey key,
    Optional<TpmSignature.Scheme> scheme,
    Optional<TpmAlg> schemeHash,
    byte[] name,
    boolean restrictedSigning) {
  static final int ALG_RSA = 0x0001;
  static final int ALG_ECC = 0x0023;
  static final int ALG_NULL = 0x0010;
  static final int ATTR_RESTRICTED = 1 << 16;
  static final int ATTR_SIGN = 1 << 18;

  static TpmtPublic parse(byte[] input) throws TpmFormatException {
    byte[] bytes = input;
    if (input.length > 2 && ((input[0] & 0xff) << 8 | (input[1] & 0xff)) == input.length - 2) {
      bytes = java.util.Arrays.copyOfRange(input, 2, input.length);
    }
    TpmReader reader = new TpmReader(bytes);
    int type = reader.u16("type");
    int nameAlgId = reader.u16("nameAlg");
    TpmAlg nameAlg =
        TpmAlg.byId(nameAlgId)
            .orElseThrow(() ->
                TpmFormatException.unsupported(
                    String.format("nameAlg 0x%04x is not supported", nameAlgId)));
    long attributes = reader.u32("objectAttributes");
    reader.sized("authPolicy", 64);
    skipSymmetric(reader);
    int schemeId = reader.u16("scheme");
    Optional<TpmAlg> schemeHash = Optional.empty();
    if (schemeId != ALG_NULL) {
      int hashId = reader.u16("scheme.hashAlg");
      schemeHash = TpmAlg.byId(hashId);
      if (schemeHash.isEmpty()) {
        throw TpmFormatException.unsupported(
            String.format("scheme hash 0x%04x is not supported", hashId));
      }
    }
    Optional<TpmSignature.Scheme> scheme = Optional.empty();
    for (TpmSignature.Scheme candidate : TpmSignature.Scheme.values()) {
      if (candidate.id == schemeId) {
        scheme = Optional.of(candidate);
      }
    }
    PublicKey key;
    if (type == ALG_RSA) {
      int keyBits = reader.u16("keyBits");
      long exponent = reader.u32("exponent");
      byte[] modulus = reader.sized("unique.rsa", 512);
      if (modulus.length * 8 != keyBits || keyBits < 2048) {
        throw TpmFormatException.unsupported(
            "RSA key of " + keyBits + " bits with a " + modulus.length + "-byte modulus");
      }
      key = rsa(new BigInteger(1, modulus), BigInteger.valueOf(exponent == 0 ? 65537 : exponent));
    } else if (type == ALG_ECC) {
      int curve = reader.u16("curveID");
      int kdf = reader.u16("kdf.scheme");
      if (kdf != ALG_NULL) {
        reader.u16("kdf.hashAlg");
      }
      byte[] x = reader.sized("unique.x", 66);
      byte[] y = reader.sized("unique.y", 66);
      key = ec(curve, x, y);
    } else {
      throw TpmFormatException.unsupported(
          String.format("key type 0x%04x is not RSA or ECC", type));
    }
    reader.requireEnd("TPMT_PUBLIC");
    byte[] digest = Digests.digest(nameAlg.jcaName, bytes);
    byte[] name = new byte[2 + digest.length];
    name[0] = (byte) (nameAlg.id >> 8);
    name[1] = (byte) nameAlg.id;
    System.arraycopy(digest, 0, name, 2, digest.length);
    boolean restrictedSigning =
        (attributes & ATTR_SIGN) != 0 && (attributes & ATTR_RESTRICTED) != 0;
    return new TpmtPublic(key, scheme, schemeHash, name, restrictedSigning);
  }

  private static void skipSymmetric(TpmReader reader) throws TpmFormatException {
    int symmetric = reader.u16("symmetric.algorithm");
    if (symmetric != ALG_NULL) {
      reader.u16("symmetric.keyBits");
      reader.u16("symmetric.mode");
    }
  }

  private static PublicKey rsa(BigInteger modulus, BigInteger exponent) throws TpmFormatException {
    try {
      return PublicKeys.rsa(modulus, exponent);
    } catch (GeneralSecurityException e) {
      throw new TpmFormatException("RSA public key: " + e.getMessage());
    }
  }

  private static PublicKey ec(int curve, byte[] x, byte[] y) throws TpmFormatException {
    EcKeys.Curve named =
        switch (curve) {
          case 0x0003 -> EcKeys.Curve.P256;
          case 0x0004 -> EcKeys.Curve.P384;
          default ->
              throw TpmFormatException.unsupported(
                  String.format("ECC curve 0x%04x is not P-256 or P-384", curve));
        };
    try {
      return EcKeys.fromAffine(named, new BigInteger(1, x), new BigInteger(1, y));
    } catch (GeneralSecurityException e) {
      throw new TpmFormatException(
          "ECC public key is not a point on " + named.joseName() + ": " + e.getMessage());
    }
  }
}
