// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Optional;

/**
 * NIST prime-curve public keys (P-256, P-384, P-521) from affine coordinates or uncompressed SEC1
 * points, <b>always validated</b>: every key built here lies on its curve and is not the point at
 * infinity (JCA's {@code KeyFactory} does not check this, and an off-curve point enables
 * invalid-curve attacks). Thread-safe.
 */
public final class EcKeys {
  /** A supported curve: JOSE name, JCA name and coordinate length in bytes. */
  public enum Curve {
    P256("P-256", "secp256r1", 32),
    P384("P-384", "secp384r1", 48),
    P521("P-521", "secp521r1", 66);

    private final String joseName;
    private final String jcaName;
    private final int coordinateBytes;
    private final ECParameterSpec spec;

    Curve(String joseName, String jcaName, int coordinateBytes) {
      this.joseName = joseName;
      this.jcaName = jcaName;
      this.coordinateBytes = coordinateBytes;
      try {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(jcaName));
        this.spec = parameters.getParameterSpec(ECParameterSpec.class);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("curve not available: " + jcaName, e);
      }
    }

    public String joseName() {
      return joseName;
    }

    public int coordinateBytes() {
      return coordinateBytes;
    }

    public ECParameterSpec spec() {
      return spec;
    }

    public static Optional<Curve> byJoseName(String name) {
      return Arrays.stream(values()).filter(c -> c.joseName.equals(name)).findFirst();
    }

    /** The curve of a key, matched on its field size and generator. */
    public static Optional<Curve> of(ECPublicKey key) {
      ECParameterSpec params = key.getParams();
      return Arrays.stream(values())
          .filter(c ->
              c.spec.getCurve().equals(params.getCurve())
                  && c.spec.getGenerator().equals(params.getGenerator()))
          .findFirst();
    }
  }

  private EcKeys() {}

  /**
   * A public key from big-endian affine coordinates.
   *
   * @throws GeneralSecurityException when a coordinate is out of range or the point is not on the
   *     curve
   */
  public static ECPublicKey fromAffine(Curve curve, byte[] x, byte[] y)
      throws GeneralSecurityException {
    if (x.length != curve.coordinateBytes || y.length != curve.coordinateBytes) {
      throw new GeneralSecurityException(
          curve.joseName + " coordinates must be " + curve.coordinateBytes + " bytes each");
    }
    return fromPoint(curve, new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), false);
  }

  /**
   * A public key from affine coordinates as unsigned integers (for formats that store coordinates
   * in variable-length fields).
   *
   * @throws GeneralSecurityException when a coordinate is out of range or the point is not on the
   *     curve
   */
  public static ECPublicKey fromAffine(Curve curve, BigInteger x, BigInteger y)
      throws GeneralSecurityException {
    return fromPoint(curve, new ECPoint(x, y), false);
  }

  /**
   * As {@link #fromAffine(Curve, byte[], byte[])}, but the key object comes from the fast provider
   * ({@link Providers#fast()}) when it is loaded, so that verifying with it needs no key
   * translation (DCAP's per-quote attestation keys); validated the same way.
   */
  public static ECPublicKey verificationKey(Curve curve, byte[] x, byte[] y)
      throws GeneralSecurityException {
    if (x.length != curve.coordinateBytes || y.length != curve.coordinateBytes) {
      throw new GeneralSecurityException(
          curve.joseName + " coordinates must be " + curve.coordinateBytes + " bytes each");
    }
    return fromPoint(curve, new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), true);
  }

  /** A public key from an uncompressed SEC1 point {@code 04 || x || y}. */
  public static ECPublicKey fromUncompressed(Curve curve, byte[] point)
      throws GeneralSecurityException {
    int n = curve.coordinateBytes;
    if (point.length != 1 + 2 * n || point[0] != 0x04) {
      throw new GeneralSecurityException("not an uncompressed " + curve.joseName + " point");
    }
    return fromAffine(
        curve, Arrays.copyOfRange(point, 1, 1 + n), Arrays.copyOfRange(point, 1 + n, point.length));
  }

  /** An uncompressed SEC1 point whose length determines the curve (65, 97 or 133 bytes). */
  public static ECPublicKey fromUncompressed(byte[] point) throws GeneralSecurityException {
    for (Curve curve : Curve.values()) {
      if (point.length == 1 + 2 * curve.coordinateBytes) {
        return fromUncompressed(curve, point);
      }
    }
    throw new GeneralSecurityException(
        "not an uncompressed P-256/P-384/P-521 point (" + point.length + " bytes)");
  }

  /** Checks that a key (from any source) is on a supported curve. */
  public static Curve validate(ECPublicKey key) throws GeneralSecurityException {
    Curve curve =
        Curve.of(key).orElseThrow(() -> new GeneralSecurityException("unsupported EC curve"));
    checkOnCurve(curve, key.getW());
    return curve;
  }

  /** The uncompressed SEC1 encoding of a key. */
  public static byte[] uncompressed(ECPublicKey key) throws GeneralSecurityException {
    Curve curve = validate(key);
    int n = curve.coordinateBytes;
    byte[] out = new byte[1 + 2 * n];
    out[0] = 0x04;
    copyFixed(key.getW().getAffineX(), out, 1, n);
    copyFixed(key.getW().getAffineY(), out, 1 + n, n);
    return out;
  }

  private static void copyFixed(BigInteger value, byte[] out, int offset, int length) {
    byte[] raw = value.toByteArray();
    int skip = raw.length > length ? raw.length - length : 0;
    System.arraycopy(raw, skip, out, offset + length - (raw.length - skip), raw.length - skip);
  }

  private static ECPublicKey fromPoint(Curve curve, ECPoint point, boolean fast)
      throws GeneralSecurityException {
    checkOnCurve(curve, point);
    KeyFactory factory =
        fast && Providers.fast().isPresent()
            ? KeyFactory.getInstance("EC", Providers.fast().get())
            : KeyFactory.getInstance("EC");
    return (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(point, curve.spec));
  }

  private static void checkOnCurve(Curve curve, ECPoint point) throws GeneralSecurityException {
    if (point.equals(ECPoint.POINT_INFINITY)) {
      throw new GeneralSecurityException("point at infinity");
    }
    EllipticCurve ec = curve.spec.getCurve();
    BigInteger p = ((ECFieldFp) ec.getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      throw new GeneralSecurityException("coordinate out of range for " + curve.joseName);
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(ec.getA().multiply(x)).add(ec.getB()).mod(p);
    if (!left.equals(right)) {
      throw new GeneralSecurityException("point is not on the curve " + curve.joseName);
    }
  }
}
