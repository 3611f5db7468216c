// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.evidence.CollateralCheck;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks Intel DCAP collateral for import: TCB Info and QE Identity signatures against the TCB
 * signing chain to the pinned Intel root, their dates, and CRL signatures by a certificate that
 * chains to the root (the file must carry its issuer chain unless the root itself issued the CRL).
 */
public final class DcapCollateral {
  private DcapCollateral() {}

  /** One result per file; certificates in any of the files may complete another file's chain. */
  public static List<CollateralCheck> check(
      DcapTrust trust, List<EvidenceInput.Collateral> files, Instant at) {
    List<ParsedCollateral> parsed = new ArrayList<>();
    List<X509Certificate> pool = new ArrayList<>();
    for (EvidenceInput.Collateral file : files) {
      ParsedCollateral one = CollateralParser.parse(file.name(), file.bytes());
      parsed.add(one);
      one.certificates().stream().filter(c -> !pool.contains(c)).forEach(pool::add);
    }
    List<CollateralCheck> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      out.add(check(trust, files.get(i), parsed.get(i), pool, at));
    }
    return out;
  }

  private static CollateralCheck check(
      DcapTrust trust,
      EvidenceInput.Collateral file,
      ParsedCollateral parsed,
      List<X509Certificate> pool,
      Instant at) {
    boolean recognized =
        !parsed.tcbInfos().isEmpty()
            || !parsed.qeIdentities().isEmpty()
            || !parsed.crls().isEmpty();
    if (!recognized && !parsed.certificates().isEmpty() && parsed.problems().isEmpty()) {
      boolean chains =
          parsed.certificates().stream()
              .allMatch(c -> trust.anchors().contains(c) || chainsToRoot(trust, c, pool));
      return new CollateralCheck(
          true,
          "certificates",
          "certs:" + parsed.certificates().get(0).getSubjectX500Principal().getName(),
          Optional.of(
              parsed.certificates().stream()
                  .map(c -> c.getNotAfter().toInstant())
                  .min(Instant::compareTo)
                  .orElseThrow()),
          chains
              ? List.of()
              : List.of(
                  Problem.of(
                      EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                      "certificates do not chain to the Intel root")));
    }
    if (!recognized) {
      return CollateralCheck.notRecognized();
    }
    List<Problem> problems = new ArrayList<>(parsed.problems());
    String kind =
        !parsed.tcbInfos().isEmpty()
            ? "tcb-info"
            : !parsed.qeIdentities().isEmpty() ? "qe-identity" : "crl";
    String key = file.name();
    Optional<Instant> nextUpdate = Optional.empty();
    for (SignedJson item : concat(parsed.tcbInfos(), parsed.qeIdentities())) {
      CollateralSigner.Outcome outcome = CollateralSigner.verify(trust, item, pool, at);
      if (outcome.problem() != null) {
        problems.add(outcome.problem());
      }
      if (item.body() instanceof TcbInfo info) {
        key = "fmspc:" + info.fmspc();
        nextUpdate = Optional.of(info.nextUpdate());
        if (at.isAfter(info.nextUpdate())) {
          problems.add(
              Problem.of(
                  EvidenceProblem.COLLATERAL_EXPIRED, "TCB Info expired at " + info.nextUpdate()));
        }
      } else if (item.body() instanceof QeIdentity identity) {
        key = "qe-identity:" + identity.id();
        nextUpdate = Optional.of(identity.nextUpdate());
        if (at.isAfter(identity.nextUpdate())) {
          problems.add(
              Problem.of(
                  EvidenceProblem.COLLATERAL_EXPIRED,
                  "QE Identity expired at " + identity.nextUpdate()));
        }
      }
    }
    for (X509CRL crl : parsed.crls()) {
      key = "crl:" + crl.getIssuerX500Principal().getName();
      nextUpdate = Optional.ofNullable(crl.getNextUpdate()).map(java.util.Date::toInstant);
      if (!signedByTrustedIssuer(trust, crl, pool)) {
        problems.add(
            Problem.of(
                EvidenceProblem.CRL_INVALID,
                "CRL of "
                    + crl.getIssuerX500Principal().getName()
                    + " is not signed by a certificate chaining to the Intel root (include the"
                    + " issuer chain)"));
      }
      if (nextUpdate.isPresent() && at.isAfter(nextUpdate.get())) {
        problems.add(Problem.of(EvidenceProblem.CRL_STALE, "CRL expired at " + nextUpdate.get()));
      }
    }
    return new CollateralCheck(true, kind, key, nextUpdate, problems);
  }

  private static boolean signedByTrustedIssuer(
      DcapTrust trust, X509CRL crl, List<X509Certificate> pool) {
    List<X509Certificate> candidates = new ArrayList<>(trust.anchors());
    candidates.addAll(pool);
    for (X509Certificate issuer : candidates) {
      if (!issuer.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      try {
        crl.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        continue;
      }
      if (trust.anchors().contains(issuer) || chainsToRoot(trust, issuer, pool)) {
        return true;
      }
    }
    return false;
  }

  private static boolean chainsToRoot(
      DcapTrust trust, X509Certificate certificate, List<X509Certificate> pool) {
    var result =
        new dev.arbiter.crypto.ChainVerifier(8)
            .verify(
                withIntermediates(certificate, pool),
                trust.anchors(),
                certificate.getNotBefore().toInstant().plusSeconds(1));
    return result instanceof dev.arbiter.crypto.ChainVerifier.Result.Valid;
  }

  private static List<X509Certificate> withIntermediates(
      X509Certificate leaf, List<X509Certificate> pool) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    pool.stream().filter(c -> !c.equals(leaf)).forEach(chain::add);
    return chain;
  }

  private static List<SignedJson> concat(List<SignedJson> a, List<SignedJson> b) {
    List<SignedJson> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
