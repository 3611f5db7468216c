// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import dev.arbiter.problem.ProblemType;

/**
 * Why evidence failed verification. Shared by every scheme so that policies, metrics and tests can
 * rely on one vocabulary; the detail says which field or certificate.
 */
public enum EvidenceProblem implements ProblemType {
  UNSUPPORTED_FORMAT(400, "No enabled evidence scheme has this format id."),
  EVIDENCE_MALFORMED(
      422, "The evidence cannot be decoded (truncated, oversized, bad encoding or bad structure)."),
  UNSUPPORTED_VERSION(422, "The evidence structure version or algorithm is not supported."),
  SIGNATURE_INVALID(422, "The evidence signature does not verify under the signing key."),
  CERTIFICATE_MISSING(
      422, "A certificate needed to verify the evidence was neither embedded nor supplied."),
  CERTIFICATE_MALFORMED(422, "A supplied or embedded certificate cannot be parsed."),
  CERTIFICATE_CHAIN_INVALID(
      422, "The certificate chain does not verify up to a pinned trust anchor."),
  CERTIFICATE_EXPIRED(422, "A certificate in the chain is not valid at the verification time."),
  CERTIFICATE_REVOKED(422, "A certificate in the chain is listed in a valid CRL."),
  CRL_INVALID(422, "A CRL is malformed or its signature does not verify under its issuer."),
  CRL_STALE(422, "A CRL is past its nextUpdate at the verification time (see --allow-stale-crl)."),
  REVOCATION_UNCHECKED(422, "No CRL was supplied for a chain and revocation checking is required."),
  KEY_MALFORMED(422, "A supplied verification key cannot be parsed."),
  REPORT_DATA_MISMATCH(
      422, "The evidence does not carry the expected report data / nonce binding."),
  TCB_MISMATCH(422, "The signing certificate's TCB does not match the TCB the evidence reports."),
  CHIP_ID_MISMATCH(
      422, "The signing certificate's hardware id does not match the evidence's chip id."),
  KEY_BINDING_INVALID(
      422, "An inner key is not bound to the outer report (e.g. TDX/SGX QE report data)."),
  COLLATERAL_MALFORMED(
      422, "Supplied collateral (TCB Info, QE Identity, RIM, ...) cannot be parsed."),
  COLLATERAL_INVALID(422, "Collateral's signature or signing chain does not verify."),
  COLLATERAL_EXPIRED(422, "Collateral is not valid at the verification time."),
  COLLATERAL_MISMATCH(
      422, "Collateral does not apply to this evidence (e.g. FMSPC or QE identity differ)."),
  TCB_REVOKED(422, "The platform's TCB level is revoked according to valid collateral."),
  MEASUREMENT_MISMATCH(422, "A recomputed digest or measurement differs from the signed one."),
  EVENT_LOG_MISMATCH(
      422,
      "An event log does not replay to the signed registers (PCR or RTMR named in the detail), or"
          + " extends a register the evidence does not sign.");

  private final int status;
  private final String meaning;

  EvidenceProblem(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  @Override
  public String slug() {
    return ProblemType.slugOf(this);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String meaning() {
    return meaning;
  }
}
