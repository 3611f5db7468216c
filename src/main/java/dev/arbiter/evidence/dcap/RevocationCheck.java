// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.CrlChecker;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Revocation of a verified path through {@link CrlChecker}, memoized: an outcome computed while
 * every relevant CRL is current holds for any time in the intersection of their validity windows
 * (the CRL signatures and the path do not depend on time), so it is reused within that window.
 */
final class RevocationCheck {
  /** A memoized outcome and the time window it holds for. */
  record Cached(CrlChecker.Outcome outcome, Instant from, Instant until) {}

  /**
   * Cache key: certificates and CRLs compare by encoding (same instances compare by identity
   * first).
   */
  private record Key(List<X509Certificate> path, List<X509CRL> crls, boolean allowStale) {}

  private RevocationCheck() {}

  static CrlChecker.Outcome check(
      DcapTrust trust,
      List<X509Certificate> path,
      List<X509CRL> crls,
      Instant at,
      boolean allowStale) {
    List<X509CRL> relevant = new ArrayList<>();
    for (X509CRL crl : crls) {
      for (int i = 1; i < path.size(); i++) {
        if (crl.getIssuerX500Principal().equals(path.get(i).getSubjectX500Principal())) {
          relevant.add(crl);
          break;
        }
      }
    }
    Key key = new Key(path, relevant, allowStale);
    Cached cached = trust.revocations.get(key);
    if (cached != null && !at.isBefore(cached.from()) && !at.isAfter(cached.until())) {
      return cached.outcome();
    }
    CrlChecker.Outcome outcome = CrlChecker.check(path, relevant, at, allowStale);
    Instant from = Instant.MIN;
    Instant until = Instant.MAX;
    for (X509CRL crl : relevant) {
      Instant thisUpdate = crl.getThisUpdate().toInstant();
      from = thisUpdate.isAfter(from) ? thisUpdate : from;
      if (crl.getNextUpdate() != null && !allowStale) {
        Instant nextUpdate = crl.getNextUpdate().toInstant();
        until = nextUpdate.isBefore(until) ? nextUpdate : until;
      }
    }
    if (!at.isBefore(from) && !at.isAfter(until)) {
      trust.revocations.put(key, new Cached(outcome, from, until));
    }
    return outcome;
  }

  /** Maps CRL findings to problems. */
  static List<Problem> problems(CrlChecker.Outcome outcome, String chainName) {
    List<Problem> problems = new ArrayList<>();
    for (CrlChecker.Finding finding : outcome.findings()) {
      EvidenceProblem type =
          switch (finding.kind()) {
            case "REVOKED" -> EvidenceProblem.CERTIFICATE_REVOKED;
            case "STALE" -> EvidenceProblem.CRL_STALE;
            default -> EvidenceProblem.CRL_INVALID;
          };
      problems.add(Problem.of(type, chainName + ": " + finding.detail()));
    }
    return problems;
  }
}
