// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.CollateralCheck;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Import checks for AMD CRLs: issued and signed by a pinned ARK (or ASK/ASVK), current at the time.
 */
final class AmdCrls {
  private AmdCrls() {}

  static CollateralCheck check(AmdTrust trust, EvidenceInput.Collateral file, Instant at) {
    List<X509CRL> crls;
    try {
      crls = Certificates.parseCrls(file.bytes());
    } catch (CRLException e) {
      return CollateralCheck.notRecognized();
    }
    List<Problem> problems = new ArrayList<>();
    String key = "";
    Optional<Instant> nextUpdate = Optional.empty();
    boolean recognized = false;
    for (X509CRL crl : crls) {
      Optional<X509Certificate> issuer = issuer(trust, crl);
      if (issuer.isEmpty()) {
        continue;
      }
      recognized = true;
      key = "crl:" + crl.getIssuerX500Principal().getName();
      nextUpdate = Optional.ofNullable(crl.getNextUpdate()).map(java.util.Date::toInstant);
      try {
        crl.verify(issuer.get().getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        problems.add(
            Problem.of(
                EvidenceProblem.CRL_INVALID,
                "AMD CRL of " + crl.getIssuerX500Principal().getName() + " does not verify"));
      }
      if (nextUpdate.isPresent() && at.isAfter(nextUpdate.get())) {
        problems.add(
            Problem.of(EvidenceProblem.CRL_STALE, "AMD CRL expired at " + nextUpdate.get()));
      }
    }
    return recognized
        ? new CollateralCheck(true, "crl", key, nextUpdate, problems)
        : CollateralCheck.notRecognized();
  }

  private static Optional<X509Certificate> issuer(AmdTrust trust, X509CRL crl) {
    for (AmdTrust.Anchor anchor : trust.anchors()) {
      for (X509Certificate candidate : List.of(anchor.root(), anchor.intermediate())) {
        if (candidate.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
