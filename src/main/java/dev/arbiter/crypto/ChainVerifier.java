// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies X.509 chains up to pinned trust anchors, with a bounded cache of chains already verified
 * (keyed by the SHA-256 of the chain's DER bytes and the anchor set), so that a known chip or
 * platform costs a map lookup instead of RSA/ECDSA verifications. Only signature and structural
 * results are cached; the validity window is re-checked against the caller's time on every call.
 * Revocation is checked separately ({@link CrlChecker}). Thread-safe.
 */
public final class ChainVerifier {
  /** Why a chain failed. */
  public enum Failure {
    /** No path from the leaf to a pinned anchor (unknown issuer or an issuer mismatch). */
    UNTRUSTED,
    /** A certificate's signature does not verify under its issuer's key. */
    SIGNATURE,
    /** A certificate is outside its validity window at the verification time. */
    EXPIRED,
    /** An issuing certificate is not a CA (basic constraints / key usage). */
    NOT_A_CA
  }

  /** Outcome of {@link #verify}. */
  public sealed interface Result {
    /** The verified path: leaf first, the pinned anchor last. */
    record Valid(List<X509Certificate> path) implements Result {}

    record Invalid(Failure failure, String detail) implements Result {}
  }

  private record Verified(List<X509Certificate> path, Instant notBefore, Instant notAfter) {}

  private final Map<String, Verified> cache;
  private final int maxEntries;

  public ChainVerifier(int maxEntries) {
    this.maxEntries = maxEntries;
    this.cache =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
                return size() > ChainVerifier.this.maxEntries;
              }
            });
  }

  /**
   * Verifies {@code chain} (leaf first; intermediates in any order after it; may or may not end
   * with the anchor itself) against {@code anchors} at time {@code at}.
   */
  public Result verify(List<X509Certificate> chain, List<X509Certificate> anchors, Instant at) {
    if (chain.isEmpty()) {
      return new Result.Invalid(Failure.UNTRUSTED, "empty certificate chain");
    }
    String key;
    try {
      key = cacheKey(chain, anchors);
    } catch (CertificateEncodingException e) {
      return new Result.Invalid(
          Failure.UNTRUSTED, "certificate cannot be encoded: " + e.getMessage());
    }
    Verified verified = cache.get(key);
    if (verified == null) {
      Object outcome = build(chain, anchors);
      if (outcome instanceof Result.Invalid invalid) {
        return invalid;
      }
      verified = (Verified) outcome;
      cache.put(key, verified);
    }
    if (at.isBefore(verified.notBefore()) || at.isAfter(verified.notAfter())) {
      return new Result.Invalid(Failure.EXPIRED, expiredDetail(verified.path(), at));
    }
    return new Result.Valid(verified.path());
  }

  /** Number of cached chains (for metrics and tests). */
  public int cachedChains() {
    return cache.size();
  }

  private static String cacheKey(List<X509Certificate> chain, List<X509Certificate> anchors)
      throws CertificateEncodingException {
    var digest = Providers.digest("SHA-256");
    for (X509Certificate certificate : chain) {
      digest.update(Digests.sha256(certificate.getEncoded()));
    }
    digest.update((byte) 0);
    for (X509Certificate anchor : anchors) {
      digest.update(Digests.sha256(anchor.getEncoded()));
    }
    return java.util.HexFormat.of().formatHex(digest.digest());
  }

  /** Returns a {@link Verified} or a {@link Result.Invalid}. */
  private static Object build(List<X509Certificate> chain, List<X509Certificate> anchors) {
    List<X509Certificate> path = new ArrayList<>();
    List<X509Certificate> pool = new ArrayList<>(chain.subList(1, chain.size()));
    X509Certificate current = chain.get(0);
    path.add(current);
    for (int depth = 0; depth < 10; depth++) {
      Optional<X509Certificate> anchor = issuerAmong(current, anchors);
      if (anchor.isPresent()) {
        if (!signedBy(current, anchor.get())) {
          return new Result.Invalid(
              Failure.SIGNATURE,
              "signature of "
                  + name(current)
                  + " does not verify under anchor "
                  + name(anchor.get()));
        }
        if (!sameCertificate(current, anchor.get())) {
          path.add(anchor.get());
        }
        return finish(path);
      }
      Optional<X509Certificate> issuer = issuerAmong(current, pool);
      if (issuer.isEmpty() || sameCertificate(issuer.get(), current)) {
        return new Result.Invalid(
            Failure.UNTRUSTED,
            "no pinned trust anchor for "
                + name(current)
                + " (issuer "
                + current.getIssuerX500Principal().getName()
                + ")");
      }
      if (!signedBy(current, issuer.get())) {
        return new Result.Invalid(
            Failure.SIGNATURE,
            "signature of " + name(current) + " does not verify under " + name(issuer.get()));
      }
      if (issuer.get().getBasicConstraints() < 0) {
        return new Result.Invalid(
            Failure.NOT_A_CA, name(issuer.get()) + " is not a CA certificate");
      }
      pool.remove(issuer.get());
      current = issuer.get();
      path.add(current);
    }
    return new Result.Invalid(Failure.UNTRUSTED, "certificate chain too long");
  }

  private static Verified finish(List<X509Certificate> path) {
    Instant notBefore = Instant.MIN;
    Instant notAfter = Instant.MAX;
    for (X509Certificate certificate : path) {
      Instant from = certificate.getNotBefore().toInstant();
      Instant to = certificate.getNotAfter().toInstant();
      notBefore = from.isAfter(notBefore) ? from : notBefore;
      notAfter = to.isBefore(notAfter) ? to : notAfter;
    }
    return new Verified(List.copyOf(path), notBefore, notAfter);
  }

  private static Optional<X509Certificate> issuerAmong(
      X509Certificate subject, List<X509Certificate> candidates) {
    for (X509Certificate candidate : candidates) {
      if (candidate.getSubjectX500Principal().equals(subject.getIssuerX500Principal())) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static boolean signedBy(X509Certificate subject, X509Certificate issuer) {
    try {
      subject.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean sameCertificate(X509Certificate a, X509Certificate b) {
    try {
      return java.util.Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
  }

  private static String expiredDetail(List<X509Certificate> path, Instant at) {
    for (X509Certificate certificate : path) {
      if (at.isBefore(certificate.getNotBefore().toInstant())
          || at.isAfter(certificate.getNotAfter().toInstant())) {
        return name(certificate)
            + " is valid "
            + certificate.getNotBefore().toInstant()
            + " .. "
            + certificate.getNotAfter().toInstant()
            + ", not at "
            + at;
      }
    }
    return "chain not valid at " + at;
  }

  static String name(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }
}
