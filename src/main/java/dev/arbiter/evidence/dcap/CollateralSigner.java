// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a TCB Info / QE Identity signature: ECDSA P-256 / SHA-256 over the exact signed JSON bytes
 * by a certificate (the "Intel SGX TCB Signing" certificate) whose chain reaches a pinned anchor
 * and is valid at the verification time. Candidate signers are the chain that came with the body
 * and every certificate supplied as collateral. Signature results are cached.
 */
final class CollateralSigner {
  /** The verified signing path, or the problem. */
  record Outcome(List<X509Certificate> path, Problem problem) {}

  private CollateralSigner() {}

  /** Memo key: the cached signed body and the candidate pool (compared element by element). */
  private record MemoKey(SignedJson item, List<X509Certificate> pool) {}

  /** A verified signing path and the window in which all of its certificates are valid. */
  record Memo(List<X509Certificate> path, Instant from, Instant until) {}

  static Outcome verify(DcapTrust trust, SignedJson item, List<X509Certificate> pool, Instant at) {
    MemoKey key = new MemoKey(item, pool);
    Memo memo = trust.signerMemos.get(key);
    if (memo != null && !at.isBefore(memo.from()) && !at.isAfter(memo.until())) {
      return new Outcome(memo.path(), null);
    }
    Outcome outcome = search(trust, item, pool, at);
    if (outcome.path() != null) {
      Instant from = Instant.MIN;
      Instant until = Instant.MAX;
      for (X509Certificate certificate : outcome.path()) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        from = notBefore.isAfter(from) ? notBefore : from;
        until = notAfter.isBefore(until) ? notAfter : until;
      }
      trust.signerMemos.put(key, new Memo(outcome.path(), from, until));
    }
    return outcome;
  }

  private static Outcome search(
      DcapTrust trust, SignedJson item, List<X509Certificate> pool, Instant at) {
    List<X509Certificate> all = candidates(item, pool);
    boolean anyCandidate = false;
    String expired = null;
    String untrusted = null;
    for (X509Certificate candidate : all) {
      if (!mayBeSigner(candidate)) {
        continue;
      }
      anyCandidate = true;
      if (!signatureValid(trust, item, candidate)) {
        continue;
      }
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(candidate);
      all.stream().filter(other -> other != candidate).forEach(chain::add);
      ChainVerifier.Result result = Chains.verify(trust, chain, at);
      if (result instanceof ChainVerifier.Result.Valid valid) {
        if (valid.path().size() == 2) {
          return new Outcome(valid.path(), null);
        }
        untrusted =
            "'"
                + candidate.getSubjectX500Principal().getName()
                + "' is not issued directly by the root CA";
        continue;
      }
      ChainVerifier.Result.Invalid invalid = (ChainVerifier.Result.Invalid) result;
      if (invalid.failure() == ChainVerifier.Failure.EXPIRED) {
        expired = invalid.detail();
      } else {
        untrusted = invalid.detail();
      }
    }
    String what = item.kind() + " from " + item.source();
    if (expired != null) {
      return new Outcome(
          null,
          Problem.of(
              EvidenceProblem.CERTIFICATE_EXPIRED, what + ": signing certificate: " + expired));
    }
    if (untrusted != null) {
      return new Outcome(
          null,
          Problem.of(
              EvidenceProblem.COLLATERAL_INVALID,
              what + ": signing certificate is not trusted: " + untrusted));
    }
    if (!anyCandidate) {
      return new Outcome(
          null,
          Problem.of(
              EvidenceProblem.CERTIFICATE_MISSING,
              what + ": no TCB signing certificate was supplied"));
    }
    return new Outcome(
        null,
        Problem.of(
            EvidenceProblem.COLLATERAL_INVALID,
            what + ": signature does not verify under any supplied TCB signing certificate"));
  }

  /**
   * True when some supplied non-CA certificate's key verifies the signature (time and chain not
   * checked).
   */
  static boolean signedByAny(DcapTrust trust, SignedJson item, List<X509Certificate> pool) {
    for (X509Certificate candidate : candidates(item, pool)) {
      if (mayBeSigner(candidate) && signatureValid(trust, item, candidate)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Intel's TCB signing certificate is an end-entity certificate issued directly by the root (the
   * path is checked to have length 2) and is not a PCK certificate: a platform's PCK key must never
   * be able to vouch for its own TCB.
   */
  private static boolean mayBeSigner(X509Certificate candidate) {
    return candidate.getBasicConstraints() < 0
        && candidate.getExtensionValue(PckExtensions.SGX_EXTENSION_OID) == null;
  }

  private static List<X509Certificate> candidates(SignedJson item, List<X509Certificate> pool) {
    List<X509Certificate> all = new ArrayList<>(item.chain());
    for (X509Certificate certificate : pool) {
      if (!all.contains(certificate)) {
        all.add(certificate);
      }
    }
    return all;
  }

  /** Signature cache key: the (cached, immutable) signed body and the candidate signer. */
  private record SignatureKey(SignedJson item, X509Certificate signer) {}

  private static boolean signatureValid(DcapTrust trust, SignedJson item, X509Certificate signer) {
    return trust.signatures.computeIfAbsent(
        new SignatureKey(item, signer),
        ignored -> Ecdsa.verify(signer.getPublicKey(), item.signedBytes(), item.signature()));
  }
}
