// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SNP collateral: AMD KDS CRLs (DER or PEM). Certificate files given as collateral (an
 * ASK/ARK chain) are accepted and ignored, since anchors are pinned; anything else is
 * COLLATERAL_MALFORMED.
 */
record CrlCollateral(List<X509CRL> crls, List<Problem> problems) {
  static CrlCollateral read(List<EvidenceInput.Collateral> files) {
    List<X509CRL> crls = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (EvidenceInput.Collateral file : files) {
      try {
        crls.addAll(Certificates.parseCrls(file.bytes()));
        continue;
      } catch (CRLException | RuntimeException e) {
        // not a CRL; maybe certificates
      }
      try {
        Certificates.parse(file.bytes());
      } catch (java.security.cert.CertificateException | RuntimeException e) {
        problems.add(
            Problem.of(
                EvidenceProblem.COLLATERAL_MALFORMED,
                "collateral "
                    + file.name()
                    + " is neither a CRL nor a certificate (SEV-SNP collateral is AMD KDS CRLs)"));
      }
    }
    return new CrlCollateral(List.copyOf(crls), List.copyOf(problems));
  }
}
