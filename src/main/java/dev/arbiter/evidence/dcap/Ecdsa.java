// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.Providers;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Optional;

/** ECDSA P-256 helpers for DCAP's raw encodings: keys as x || y, signatures as r || s. */
final class Ecdsa {
  private static final ECParameterSpec P256 = p256();
  private static final BigInteger P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger B = new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  private Ecdsa() {}

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 not available", e);
    }
  }

  /** A P-256 public key from x || y; empty when the point is not on the curve. */
  static Optional<PublicKey> publicKey(byte[] xy) {
    if (xy.length != 64) {
      return Optional.empty();
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
      return Optional.empty();
    }
    BigInteger left = y.multiply(y).mod(P);
    BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
    if (!left.equals(right)) {
      return Optional.empty();
    }
    try {
      KeyFactory factory = Providers.fast().isPresent()
          ? KeyFactory.getInstance("EC", Providers.fast().get()) : KeyFactory.getInstance("EC");
      return Optional.of(factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256)));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /** Verifies SHA-256/ECDSA over {@code data} with a raw r || s signature; never throws. */
  static boolean verify(PublicKey key, byte[] data, byte[] rawSignature) {
    if (rawSignature.length != 64) {
      return false;
    }
    return Providers.verify("SHA256withECDSA", key, data, toDer(rawSignature));
  }

  /** DER SEQUENCE { INTEGER r, INTEGER s } from r || s. */
  static byte[] toDer(byte[] raw) {
    byte[] r = integer(Arrays.copyOfRange(raw, 0, raw.length / 2));
    byte[] s = integer(Arrays.copyOfRange(raw, raw.length / 2, raw.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + r.length + s.length);
    out.write(0x30);
    out.write(r.length + s.length);
    out.writeBytes(r);
    out.writeBytes(s);
    return out.toByteArray();
  }

  private static byte[] integer(byte[] unsigned) {
    int start = 0;
    while (start < unsigned.length - 1 && unsigned[start] == 0) {
      start++;
    }
    boolean pad = (unsigned[start] & 0x80) != 0;
    int length = unsigned.length - start + (pad ? 1 : 0);
    byte[] out = new byte[2 + length];
    out[0] = 0x02;
    out[1] = (byte) length;
    System.arraycopy(unsigned, start, out, 2 + (pad ? 1 : 0), unsigned.length - start);
    return out;
  }
}
