// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.EcKeys;
import dev.arbiter.crypto.Signatures;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;

/** ECDSA P-256 helpers for DCAP's raw encodings: keys as x || y, signatures as r || s. */
final class Ecdsa {
  private Ecdsa() {}

  /**
   * A P-256 public key from x || y (from the fast provider, for verification); empty when the point
   * is not on the curve.
   */
  static Optional<PublicKey> publicKey(byte[] xy) {
    if (xy.length != 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          EcKeys.verificationKey(
              EcKeys.Curve.P256, Arrays.copyOfRange(xy, 0, 32), Arrays.copyOfRange(xy, 32, 64)));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /** Verifies SHA-256/ECDSA over {@code data} with a raw r || s signature; never throws. */
  static boolean verify(PublicKey key, byte[] data, byte[] rawSignature) {
    if (rawSignature.length != 64) {
      return false;
    }
    return Signatures.verifyEcdsaRaw("SHA-256", key, data, rawSignature);
  }
}
