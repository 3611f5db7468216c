// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.EcKeys;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.util.Set;

/**
 * COSE_Key (RFC 9052 §7, RFC 9053 §7.1) to JCA: EC2 keys (kty 2) on P-256, P-384 or P-521 with
 * uncompressed coordinates, validated to lie on the curve.
 */
public final class CoseKeys {
  private static final Set<Integer> KNOWN = Set.of(1, 2, 3, 4, -1, -2, -3);

  private CoseKeys() {}

  /** Decodes an encoded COSE_Key. Malformed keys are {@code evidence-malformed} problems. */
  public static ECPublicKey decode(byte[] encoded, String what) {
    return fromMap(CborMap.decode(encoded, 1024, what));
  }

  public static ECPublicKey fromMap(CborMap key) {
    key.rejectUnknown(KNOWN);
    long kty = key.integer(1, "kty");
    if (kty != 2) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION, key.where() + " kty " + kty + " is not EC2");
    }
    long crv = key.integer(-1, "crv");
    EcKeys.Curve curve =
        switch ((int) crv) {
          case 1 -> EcKeys.Curve.P256;
          case 2 -> EcKeys.Curve.P384;
          case 3 -> EcKeys.Curve.P521;
          default ->
              throw new ProblemException(
                  EvidenceProblem.UNSUPPORTED_VERSION,
                  key.where() + " curve " + crv + " is not supported");
        };
    int n = curve.coordinateBytes();
    byte[] x = key.bytes(-2, "x", n, n);
    byte[] y = key.bytes(-3, "y", n, n);
    try {
      return EcKeys.fromAffine(curve, x, y);
    } catch (GeneralSecurityException e) {
      throw Cbor.malformed(key.where() + " is not a valid key: " + e.getMessage());
    }
  }

  /** The COSE_Key map of an EC key (tests and tooling). */
  public static CBORObject toMap(ECPublicKey key) throws GeneralSecurityException {
    EcKeys.Curve curve = EcKeys.validate(key);
    byte[] point = EcKeys.uncompressed(key);
    int n = curve.coordinateBytes();
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(1, 2);
    map.Add(-1, curve.ordinal() + 1);
    map.Add(-2, java.util.Arrays.copyOfRange(point, 1, 1 + n));
    map.Add(-3, java.util.Arrays.copyOfRange(point, 1 + n, 1 + 2 * n));
    return map;
  }
}
