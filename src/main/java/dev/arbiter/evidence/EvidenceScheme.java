// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.util.List;

/**
 * One evidence format (SEV-SNP, TDX, ...): a pure function from evidence bytes, the scheme's trust
 * anchors (given to its constructor), supplied collateral, a clock and the expected binding to
 * normalized claims or the complete list of failed checks.
 *
 * <p><b>Contract.</b> Implementations do no network or database I/O, never read wall-clock time
 * (only {@link VerificationContext#clock()}), and never throw for bad input: truncated, oversized,
 * garbage or wrongly signed evidence yields a {@link VerificationResult} with typed problems. They
 * must be thread-safe; caches they keep must be bounded.
 *
 * <p><b>Security guarantee.</b> A result with no problems means: the evidence is well-formed, its
 * signature chains to a pinned (or explicitly injected) trust anchor valid at the context's time,
 * and, when {@code binding} is not {@link ExpectedBinding#none()}, the evidence carries exactly the
 * expected binding value. Whether the claims are <i>acceptable</i> (debug mode, TCB status,
 * matching reference values) is decided by appraisal, not here.
 */
public interface EvidenceScheme {
  SchemeDescriptor descriptor();

  /**
   * Verifies evidence and extracts its claims.
   *
   * @param input evidence bytes plus the certificates, keys and collateral supplied with it
   * @param binding the report data / nonce the evidence must carry; a required argument so that no
   *     caller can forget freshness ({@link ExpectedBinding#none()} states the omission explicitly)
   * @param context the verification time and revocation options
   */
  VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context);

  /**
   * Checks collateral files imported together (one result per file, in order; certificates in one
   * file may complete the chain of another) — a file (TCB Info, QE Identity, CRL, reference
   * manifest, ...) for import into the collateral store: recognized or not, and when recognized,
   * whether its signature chains to this scheme's trust anchors and it is current at the context's
   * time. Pure, like {@link #verify}. Schemes that take no collateral keep this default.
   */
  default List<CollateralCheck> checkCollateral(
      List<EvidenceInput.Collateral> files, VerificationContext context) {
    return files.stream().map(file -> CollateralCheck.notRecognized()).toList();
  }
}
