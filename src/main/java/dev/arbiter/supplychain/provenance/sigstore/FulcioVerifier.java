// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.crypto.Providers;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a Fulcio signing certificate at a given time: a code-signing, non-CA leaf, signed by a
 * certificate of a trusted-root CA that is valid at that time, whose path to the CA's root
 * verifies. The CA-internal part of the path (intermediate to root) is verified once and cached by
 * the SHA-256 of its DER bytes ({@link ChainVerifier}); the leaf's signature and every validity
 * window are checked on every call. Thread-safe.
 */
final class FulcioVerifier {
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final ChainVerifier CA_CHAINS = new ChainVerifier(256);

  /**
   * CA keys in the fast provider's form, by certificate (trusted-root certificates are few and
   * long-lived).
   */
  private static final java.util.Map<X509Certificate, java.security.PublicKey> CA_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private FulcioVerifier() {}

  /**
   * Returns the leaf's issuer (needed for the SCT).
   *
   * @throws ProblemException {@code PROVENANCE_CERTIFICATE_UNTRUSTED}
   */
  static X509Certificate verify(X509Certificate leaf, TrustedRoot root, Instant at) {
    if (leaf.getBasicConstraints() >= 0) {
      throw untrusted("the signing certificate is a CA certificate");
    }
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages == null || !usages.contains(CODE_SIGNING)) {
        throw untrusted("the signing certificate lacks the code-signing extended key usage");
      }
    } catch (CertificateParsingException e) {
      throw untrusted("the signing certificate's extended key usage cannot be parsed");
    }
    if (at.isBefore(leaf.getNotBefore().toInstant())
        || at.isAfter(leaf.getNotAfter().toInstant())) {
      throw untrusted(
          "the signing certificate is valid "
              + leaf.getNotBefore().toInstant()
              + " .. "
              + leaf.getNotAfter().toInstant()
              + ", not at "
              + at);
    }
    String reason =
        "no trusted Fulcio CA issued the signing certificate (issuer '"
            + leaf.getIssuerX500Principal().getName()
            + "')";
    for (TrustedRoot.Authority authority : root.authorities()) {
      X509Certificate issuer = issuerIn(leaf, authority);
      if (issuer == null) {
        continue;
      }
      if (!authority.validAt(at)) {
        reason = "the issuing Fulcio CA is not valid at " + at;
        continue;
      }
      if (!Providers.verify(leaf.getSigAlgName(), caKey(issuer), tbs(leaf), leaf.getSignature())) {
        reason = "the signing certificate's signature does not verify under its Fulcio issuer";
        continue;
      }
      List<X509Certificate> caPath = new ArrayList<>();
      caPath.add(issuer);
      authority.intermediates().stream().filter(c -> c != issuer).forEach(caPath::add);
      var result = CA_CHAINS.verify(caPath, authority.roots(), at);
      if (result instanceof ChainVerifier.Result.Invalid invalid) {
        reason = "Fulcio CA chain: " + invalid.detail();
        continue;
      }
      return issuer;
    }
    throw untrusted(reason);
  }

  private static X509Certificate issuerIn(X509Certificate leaf, TrustedRoot.Authority authority) {
    for (List<X509Certificate> list : List.of(authority.intermediates(), authority.roots())) {
      for (X509Certificate candidate : list) {
        if (candidate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static byte[] tbs(X509Certificate certificate) {
    try {
      return certificate.getTBSCertificate();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw untrusted("the signing certificate cannot be encoded");
    }
  }

  private static ProblemException untrusted(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_CERTIFICATE_UNTRUSTED, detail);
  }

  private static java.security.PublicKey caKey(X509Certificate certificate) {
    if (CA_KEYS.size() > 1024) {
      CA_KEYS.clear();
    }
    return CA_KEYS.computeIfAbsent(
        certificate,
        c -> {
          try {
            return TrustedKey.spki(c.getPublicKey().getEncoded());
          } catch (java.security.GeneralSecurityException e) {
            return c.getPublicKey();
          }
        });
  }
}
