// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.CrlChecker;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Revocation for a verified VCEK/VLEK path (leaf, ASK/ASVK, ARK). AMD KDS publishes one CRL per
 * product, signed by the ARK, listing revoked ASKs/ASVKs; AMD does not revoke VCEKs by CRL (a chip
 * is retired by TCB instead). So the path counts as "checked" when a valid ARK CRL was supplied; a
 * CRL for the leaf, if one is supplied, is checked too.
 */
final class SnpRevocation {
  private SnpRevocation() {}

  /** Adds problems for revoked certificates and bad or stale CRLs; returns the revocation claim. */
  static String check(
      List<X509Certificate> path,
      List<EvidenceInput.Collateral> collateral,
      VerificationContext context,
      List<Problem> problems) {
    CrlCollateral crls = CrlCollateral.read(collateral);
    problems.addAll(crls.problems());
    boolean checked = false;
    if (!crls.crls().isEmpty()) {
      CrlChecker.Outcome all =
          CrlChecker.check(path, crls.crls(), context.now(), context.allowStaleCrl());
      for (CrlChecker.Finding finding : all.findings()) {
        problems.add(
            Problem.of(
                switch (finding.kind()) {
                  case "REVOKED" -> EvidenceProblem.CERTIFICATE_REVOKED;
                  case "STALE" -> EvidenceProblem.CRL_STALE;
                  default -> EvidenceProblem.CRL_INVALID;
                },
                finding.detail()));
      }
      List<X509Certificate> upper = path.subList(1, path.size());
      checked =
          upper.size() >= 2
              && CrlChecker.check(upper, crls.crls(), context.now(), context.allowStaleCrl())
                      .status()
                  == CrlChecker.Status.CHECKED;
    }
    if (!checked && context.requireRevocation()) {
      problems.add(
          Problem.of(
              EvidenceProblem.REVOCATION_UNCHECKED,
              "no valid AMD CRL (signed by the ARK) was supplied for the "
                  + path.get(path.size() - 1).getSubjectX500Principal().getName()
                  + " chain"));
    }
    return checked ? "checked" : "unchecked";
  }
}
