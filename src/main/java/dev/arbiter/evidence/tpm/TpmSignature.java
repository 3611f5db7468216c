// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.math.BigInteger;
import java.util.Optional;

/**
 * A quote signature: a TPMT_SIGNATURE (TPM 2.0 Part 2, 11.3.4) with RSASSA, RSAPSS or ECDSA, or a
 * raw signature (tpm2-tools {@code -f plain}: RSA signature bytes, DER or r||s ECDSA) whose scheme
 * and hash come from the attestation key. ECDSA values are held DER-encoded.
 *
 * @param scheme how to verify
 * @param hash the signing hash; empty for a raw signature
 * @param value the RSA signature, or the ECDSA signature (DER for TPMT, as given for raw)
 */
record TpmSignature(Scheme scheme, Optional<TpmAlg> hash, byte[] value) {
  /** Signature schemes, with their TPM_ALG_ID. */
  enum Scheme {
    RSASSA(0x0014),
    RSAPSS(0x0016),
    ECDSA(0x0018),
    RAW(-1);

    final int id;

    Scheme(int id) {
      this.id = id;
    }
  }

  static final int MAX_RSA = 512;
  static final int MAX_ECC_PARAMETER = 66;
  static final int MAX_SIZE = 1024;

  /** Parses a TPMT_SIGNATURE, or keeps the bytes as a raw signature when they are not one. */
  static TpmSignature parse(byte[] bytes) throws TpmFormatException {
    if (bytes.length == 0 || bytes.length > MAX_SIZE) {
      throw new TpmFormatException("signature has " + bytes.length + " bytes");
    }
    try {
      return parseTpmt(bytes);
    } catch (TpmFormatException e) {
      return new TpmSignature(Scheme.RAW, Optional.empty(), bytes.clone());
    }
  }

  /** Parses a TPMT_SIGNATURE strictly (no trailing bytes). */
  static TpmSignature parseTpmt(byte[] bytes) throws TpmFormatException {
    TpmReader reader = new TpmReader(bytes);
    int alg = reader.u16("sigAlg");
    Scheme scheme = null;
    for (Scheme candidate : Scheme.values()) {
      if (candidate.id == alg) {
        scheme = candidate;
      }
    }
    if (scheme == null) {
      throw TpmFormatException.unsupported(
          String.format("signature algorithm 0x%04x is not supported", alg));
    }
    int hashId = reader.u16("signature.hash");
    TpmAlg hash =
        TpmAlg.byId(hashId)
            .orElseThrow(() ->
                TpmFormatException.unsupported(
                    String.format("signature hash 0x%04x is not supported", hashId)));
    byte[] value;
    if (scheme == Scheme.ECDSA) {
      byte[] r = reader.sized("signatureR", MAX_ECC_PARAMETER);
      byte[] s = reader.sized("signatureS", MAX_ECC_PARAMETER);
      value = derEcdsa(r, s);
    } else {
      value = reader.sized("signature", MAX_RSA);
    }
    reader.requireEnd("TPMT_SIGNATURE");
    return new TpmSignature(scheme, Optional.of(hash), value);
  }

  /** DER SEQUENCE { INTEGER r, INTEGER s } from unsigned big-endian values. */
  static byte[] derEcdsa(byte[] r, byte[] s) throws TpmFormatException {
    if (r.length == 0 || s.length == 0) {
      throw new TpmFormatException("ECDSA signature with an empty r or s");
    }
    byte[] rDer = new BigInteger(1, r).toByteArray();
    byte[] sDer = new BigInteger(1, s).toByteArray();
    int body = 2 + rDer.length + 2 + sDer.length;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x30);
    if (body > 127) {
      out.write(0x81);
    }
    out.write(body);
    out.write(0x02);
    out.write(rDer.length);
    out.writeBytes(rDer);
    out.write(0x02);
    out.write(sDer.length);
    out.writeBytes(sDer);
    return out.toByteArray();
  }
}
