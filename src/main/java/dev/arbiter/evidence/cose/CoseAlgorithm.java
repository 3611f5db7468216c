// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import dev.arbiter.crypto.EcKeys;
import dev.arbiter.crypto.Providers;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * The COSE signature algorithms Arbiter verifies (RFC 9053 §2.1): ECDSA with SHA-2 on the matching
 * NIST curve, signatures as fixed-length {@code r || s}. A key on another curve than the
 * algorithm's is refused (no cross-curve use).
 */
public enum CoseAlgorithm {
  ES256(-7, "SHA256withECDSAinP1363Format", EcKeys.Curve.P256),
  ES384(-35, "SHA384withECDSAinP1363Format", EcKeys.Curve.P384),
  ES512(-36, "SHA512withECDSAinP1363Format", EcKeys.Curve.P521);

  private final int id;
  private final String jcaName;
  private final EcKeys.Curve curve;

  CoseAlgorithm(int id, String jcaName, EcKeys.Curve curve) {
    this.id = id;
    this.jcaName = jcaName;
    this.curve = curve;
  }

  public int id() {
    return id;
  }

  public EcKeys.Curve curve() {
    return curve;
  }

  public static Optional<CoseAlgorithm> byId(long id) {
    return Arrays.stream(values()).filter(a -> a.id == id).findFirst();
  }

  /**
   * Verifies {@code signature} over {@code data}. False (never an exception) for a wrong key type,
   * a key on another curve, a signature of the wrong length or a signature that does not verify.
   */
  public boolean verify(PublicKey key, byte[] data, byte[] signature) {
    if (!(key instanceof ECPublicKey ec) || signature.length != 2 * curve.coordinateBytes()) {
      return false;
    }
    try {
      if (EcKeys.validate(ec) != curve) {
        return false;
      }
    } catch (GeneralSecurityException e) {
      return false;
    }
    return Providers.verify(jcaName, key, data, signature);
  }

  /** Why {@link #verify} would refuse this key before looking at the signature, if it would. */
  public Optional<String> keyMismatch(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      return Optional.of(name() + " needs an EC key, not " + key.getAlgorithm());
    }
    Optional<EcKeys.Curve> keyCurve = EcKeys.Curve.of(ec);
    if (keyCurve.isEmpty() || keyCurve.get() != curve) {
      return Optional.of(
          name()
              + " needs a "
              + curve.joseName()
              + " key, not "
              + keyCurve.map(EcKeys.Curve::joseName).orElse("an unsupported curve"));
    }
    return Optional.empty();
  }
}
