// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a verified certificate path against supplied CRLs. A CRL counts only when its signature
 * verifies under the issuer in the path and it is current at the verification time (unless stale
 * CRLs are allowed). Pure; thread-safe.
 */
public final class CrlChecker {
  private CrlChecker() {}

  /** The revocation state of a path. */
  public enum Status {
    /** Every issued certificate in the path was checked against a valid CRL and none is revoked. */
    CHECKED,
    /** At least one certificate had no CRL from its issuer. */
    UNCHECKED
  }

  /** A failed check; {@code kind} is REVOKED, INVALID (bad signature) or STALE. */
  public record Finding(String kind, String detail) {}

  public record Outcome(Status status, List<Finding> findings) {}

  /**
   * @param path leaf first, anchor last (as {@link ChainVerifier.Result.Valid#path()})
   * @param crls candidate CRLs (those from unrelated issuers are ignored)
   */
  public static Outcome check(
      List<X509Certificate> path, List<X509CRL> crls, Instant at, boolean allowStale) {
    List<Finding> findings = new ArrayList<>();
    boolean allChecked = true;
    for (int i = 0; i + 1 < path.size(); i++) {
      X509Certificate subject = path.get(i);
      X509Certificate issuer = path.get(i + 1);
      boolean checked = false;
      for (X509CRL crl : crls) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
          continue;
        }
        try {
          crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
          findings.add(
              new Finding(
                  "INVALID",
                  "CRL of " + ChainVerifier.name(issuer) + " does not verify under its issuer"));
          continue;
        }
        if (crl.getThisUpdate() != null && at.isBefore(crl.getThisUpdate().toInstant())) {
          findings.add(
              new Finding(
                  "STALE", "CRL of " + ChainVerifier.name(issuer) + " is not yet valid at " + at));
          continue;
        }
        if (crl.getNextUpdate() != null
            && at.isAfter(crl.getNextUpdate().toInstant())
            && !allowStale) {
          findings.add(
              new Finding(
                  "STALE",
                  "CRL of "
                      + ChainVerifier.name(issuer)
                      + " expired at "
                      + crl.getNextUpdate().toInstant()));
          continue;
        }
        checked = true;
        if (crl.getRevokedCertificate(subject) != null) {
          findings.add(
              new Finding(
                  "REVOKED",
                  ChainVerifier.name(subject)
                      + " (serial "
                      + subject.getSerialNumber().toString(16)
                      + ") is revoked"));
        }
      }
      allChecked &= checked;
    }
    return new Outcome(allChecked ? Status.CHECKED : Status.UNCHECKED, List.copyOf(findings));
  }
}
