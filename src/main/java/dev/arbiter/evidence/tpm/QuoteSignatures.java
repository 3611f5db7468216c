// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.crypto.Signatures;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a quote signature over the raw TPMS_ATTEST bytes with an attestation key. For RSAPSS
 * both salt lengths TPMs use are tried (the digest size, and the largest the key allows). For a raw
 * signature the scheme and hash come from the key's TPMT_PUBLIC when known; otherwise RSA means
 * RSASSA-PKCS1-v1_5/SHA-256 and ECDSA uses SHA-256 on P-256 and SHA-384 on P-384.
 */
final class QuoteSignatures {
  private QuoteSignatures() {}

  /** The hash the signature verified with, or empty when it does not verify under {@code ak}. */
  static Optional<TpmAlg> verify(TpmSignature signature, AkKeys.AkKey ak, byte[] attest) {
    PublicKey key = ak.key();
    TpmSignature.Scheme scheme = signature.scheme();
    TpmAlg hash = signature.hash().orElse(null);
    if (scheme == TpmSignature.Scheme.RAW) {
      scheme =
          ak.tpmt()
              .flatMap(TpmtPublic::scheme)
              .orElse(
                  key instanceof RSAPublicKey
                      ? TpmSignature.Scheme.RSASSA
                      : TpmSignature.Scheme.ECDSA);
      hash = ak.tpmt().flatMap(TpmtPublic::schemeHash).orElse(defaultHash(key));
    }
    boolean ok =
        switch (scheme) {
          case RSASSA ->
              key instanceof RSAPublicKey
                  && Signatures.verify(
                      hash.signaturePrefix() + "withRSA", key, attest, signature.value());
          case RSAPSS ->
              key instanceof RSAPublicKey rsa && verifyPss(rsa, hash, attest, signature.value());
          case ECDSA -> key instanceof ECPublicKey ec && verifyEcdsa(ec, hash, attest, signature);
          case RAW -> false;
        };
    return ok ? Optional.of(hash) : Optional.empty();
  }

  private static TpmAlg defaultHash(PublicKey key) {
    if (key instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() > 256) {
      return TpmAlg.SHA384;
    }
    return TpmAlg.SHA256;
  }

  private static boolean verifyEcdsa(
      ECPublicKey key, TpmAlg hash, byte[] attest, TpmSignature signature) {
    String algorithm = hash.signaturePrefix() + "withECDSA";
    int fieldBytes = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
    boolean raw = signature.scheme() == TpmSignature.Scheme.RAW;
    byte[] value = signature.value();
    if (raw
        && value.length == 2 * fieldBytes
        && Signatures.verify(algorithm + "inP1363Format", key, attest, value)) {
      return true;
    }
    return Signatures.verify(algorithm, key, attest, value);
  }

  private static boolean verifyPss(RSAPublicKey key, TpmAlg hash, byte[] attest, byte[] value) {
    int keyBytes = (key.getModulus().bitLength() + 7) / 8;
    List<Integer> salts = new ArrayList<>(List.of(hash.size));
    int largest = keyBytes - hash.size - 2;
    if (largest != hash.size && largest > 0) {
      salts.add(largest);
    }
    for (int salt : salts) {
      if (Signatures.verifyRsaPss(hash.jcaName, salt, key, attest, value)) {
        return true;
      }
    }
    return false;
  }
}
