// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.problem.Problem;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Everything recognized in the supplied collateral files, plus a problem per malformed file. */
record ParsedCollateral(
    List<SignedJson> tcbInfos,
    List<SignedJson> qeIdentities,
    List<X509Certificate> certificates,
    List<X509CRL> crls,
    List<Problem> problems) {
  ParsedCollateral {
    tcbInfos = List.copyOf(tcbInfos);
    qeIdentities = List.copyOf(qeIdentities);
    certificates = List.copyOf(certificates);
    crls = List.copyOf(crls);
    problems = List.copyOf(problems);
  }

  static ParsedCollateral empty() {
    return new ParsedCollateral(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  static ParsedCollateral merge(List<ParsedCollateral> parts) {
    List<SignedJson> tcbInfos = new ArrayList<>();
    List<SignedJson> qeIdentities = new ArrayList<>();
    List<X509Certificate> certificates = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (ParsedCollateral part : parts) {
      tcbInfos.addAll(part.tcbInfos);
      qeIdentities.addAll(part.qeIdentities);
      for (X509Certificate certificate : part.certificates) {
        if (!certificates.contains(certificate)) {
          certificates.add(certificate);
        }
      }
      for (X509CRL crl : part.crls) {
        if (!crls.contains(crl)) {
          crls.add(crl);
        }
      }
      problems.addAll(part.problems);
    }
    return new ParsedCollateral(tcbInfos, qeIdentities, certificates, crls, problems);
  }
}
