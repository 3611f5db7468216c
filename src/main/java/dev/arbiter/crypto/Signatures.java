// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * Signature verification for evidence formats, on the provider {@link Providers} chooses (ACCP when
 * it loads). Every method answers {@code false} for a signature that does not verify, including a
 * malformed signature, a key of the wrong type or an algorithm the providers lack; none throws.
 * Thread-safe.
 */
public final class Signatures {
  private Signatures() {}

  /**
   * Verifies {@code signature} over {@code data} with a JCA algorithm name such as {@code
   * SHA256withECDSA} (DER signature), {@code SHA384withECDSAinP1363Format} (r || s) or {@code
   * SHA256withRSA}.
   */
  public static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) {
    return Providers.verify(algorithm, key, data, signature);
  }

  /**
   * As {@link #verify(String, PublicKey, byte[], byte[])} over {@code data[offset, offset+length)}.
   */
  public static boolean verify(
      String algorithm, PublicKey key, byte[] data, int offset, int length, byte[] signature) {
    return Providers.verify(algorithm, key, data, offset, length, signature);
  }

  /**
   * Verifies an ECDSA signature given as raw {@code r || s} (two equal-length big-endian halves, as
   * DCAP and TPMs store them) with {@code hash} ({@code SHA-256}, ...), by converting it to DER.
   */
  public static boolean verifyEcdsaRaw(
      String hash, PublicKey key, byte[] data, byte[] rawSignature) {
    if (rawSignature.length == 0 || rawSignature.length % 2 != 0 || rawSignature.length > 2 * 66) {
      return false;
    }
    return verify(hash.replace("-", "") + "withECDSA", key, data, ecdsaRawToDer(rawSignature));
  }

  /**
   * Verifies an RSASSA-PSS signature with MGF1 over the same hash ({@code SHA-256}, ...) and the
   * given salt length (trailer field 1).
   */
  public static boolean verifyRsaPss(
      String hash, int saltLength, PublicKey key, byte[] data, byte[] signature) {
    Signature verifier;
    try {
      verifier = Providers.signature("RSASSA-PSS");
      verifier.setParameter(
          new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1));
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
    return Providers.verify(verifier, key, data, 0, data.length, signature);
  }

  /**
   * DER {@code SEQUENCE { INTEGER r, INTEGER s }} from {@code r || s} (two equal halves of at most
   * 66 bytes each, so that every length fits DER's short form).
   */
  public static byte[] ecdsaRawToDer(byte[] raw) {
    if (raw.length == 0 || raw.length % 2 != 0 || raw.length > 2 * 66) {
      throw new IllegalArgumentException(
          "raw ECDSA signature must be two equal halves of at most 66 bytes");
    }
    byte[] r = derInteger(Arrays.copyOfRange(raw, 0, raw.length / 2));
    byte[] s = derInteger(Arrays.copyOfRange(raw, raw.length / 2, raw.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + r.length + s.length);
    out.write(0x30);
    int content = r.length + s.length;
    if (content > 127) {
      out.write(0x81);
    }
    out.write(content);
    out.writeBytes(r);
    out.writeBytes(s);
    return out.toByteArray();
  }

  private static byte[] derInteger(byte[] unsigned) {
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
