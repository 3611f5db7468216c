// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.internal.BoundedCache;
import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Trust configuration for DCAP quotes: the anchors PCK chains and TCB signing chains must reach (in
 * production the Intel SGX Root CA shipped with Arbiter and pinned by SHA-256 fingerprint), plus
 * bounded caches of what has been verified already: certificate chains, parsed collateral (keyed by
 * the SHA-256 of the file bytes), signature checks over collateral and QE reports (keyed by the
 * signed bytes, the signature and the key), and CRL outcomes. A warm cache leaves only the quote's
 * own signature check per verification. Thread-safe; share one instance.
 */
public final class DcapTrust {
  /**
   * SHA-256 of the DER of the Intel SGX Root CA (CN=Intel SGX Root CA, 2018-05-21 .. 2049-12-31).
   */
  public static final String INTEL_SGX_ROOT_CA_SHA256 =
      "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";

  private static final String ROOT_RESOURCE = "intel-sgx-root-ca.der";

  private final List<X509Certificate> anchors;
  final ChainVerifier chains = new ChainVerifier(4096);
  final BoundedCache<String, ParsedCollateral> collateral = new BoundedCache<>(512);
  final BoundedCache<String, List<X509Certificate>> certificateLists = new BoundedCache<>(4096);
  final BoundedCache<String, ParsedCollateral> mergedCollateral = new BoundedCache<>(512);
  final BoundedCache<Object, Boolean> signatures = new BoundedCache<>(8192);
  final BoundedCache<Object, RevocationCheck.Cached> revocations = new BoundedCache<>(4096);
  final BoundedCache<Object, CollateralSigner.Memo> signerMemos = new BoundedCache<>(1024);
  final BoundedCache<List<X509Certificate>, Chains.Memo> chainMemos = new BoundedCache<>(4096);
  final BoundedCache<X509Certificate, java.util.Optional<PckExtensions>> pckExtensions =
      new BoundedCache<>(4096);
  final BoundedCache<String, java.util.Optional<java.security.PublicKey>> attestationKeys =
      new BoundedCache<>(4096);

  private DcapTrust(List<X509Certificate> anchors) {
    this.anchors = List.copyOf(anchors);
    if (this.anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is required");
    }
  }

  /** The production configuration: the pinned Intel SGX Root CA. */
  public static DcapTrust pinnedIntelRoot() {
    try (InputStream in = DcapTrust.class.getResourceAsStream(ROOT_RESOURCE)) {
      Objects.requireNonNull(in, "missing resource " + ROOT_RESOURCE);
      X509Certificate root = Certificates.parseDer(in.readAllBytes());
      String fingerprint = Certificates.fingerprint(root);
      if (!fingerprint.equals(INTEL_SGX_ROOT_CA_SHA256)) {
        throw new IllegalStateException(
            "bundled Intel SGX Root CA has fingerprint "
                + fingerprint
                + ", expected "
                + INTEL_SGX_ROOT_CA_SHA256);
      }
      return new DcapTrust(List.of(root));
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot load the bundled Intel SGX Root CA", e);
    }
  }

  /** Injected anchors (tests use a generated Intel-like PKI). */
  public static DcapTrust withRoots(List<X509Certificate> roots) {
    return new DcapTrust(roots);
  }

  public List<X509Certificate> anchors() {
    return anchors;
  }

  /**
   * SHA-256 fingerprints of the anchors, lowercase hex (for descriptors and configuration digests).
   */
  public List<String> anchorFingerprints() {
    return anchors.stream().map(Certificates::fingerprint).toList();
  }

  static String key(byte[]... parts) {
    byte[][] framed = new byte[2 * parts.length][];
    for (int i = 0; i < parts.length; i++) {
      framed[2 * i] = intBytes(parts[i].length);
      framed[2 * i + 1] = parts[i];
    }
    return Hex.encode(dev.arbiter.crypto.Digests.digest("SHA-256", framed));
  }

  private static byte[] intBytes(int value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }
}
