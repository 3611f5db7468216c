// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.problem.ProblemType;

/** Why an attestation was refused. Evidence-level failures are listed after the first problem. */
public enum AppraisalProblem implements ProblemType {
  POLICY_UNVERIFIED(
      503,
      "The workload's policy revision (or a version it accepts) failed its integrity check against"
          + " the pinned keys on this replica; attestation is refused until a revision that"
          + " verifies replaces it."),
  NONCE_INVALID(400, "The nonce is malformed or was not issued by this Arbiter."),
  NONCE_EXPIRED(401, "The nonce's lifetime has passed; get a new challenge."),
  NONCE_REUSED(409, "The nonce was already used for an attestation; nonces are single-use."),
  NONCE_WRONG_ISSUER(
      409,
      "The nonce was issued by another Arbiter replica, or by this one before it restarted; get a"
          + " new challenge from the replica you send this request to (keep one client on one"
          + " replica)."),
  INVALID_IDENTIFIER(
      400,
      "The workload or instance id is empty, longer than 128 characters or has characters outside"
          + " [A-Za-z0-9._:@/-]."),
  TEE_KEY_INVALID(400, "The TEE key is not a public EC P-256 or P-384 JWK."),
  SCHEME_NOT_ALLOWED(
      422,
      "The evidence format is disabled here (the sample scheme needs a server started with"
          + " --dev)."),
  EVIDENCE_REJECTED(422, "The evidence failed verification; the evidence problems follow."),
  BINDING_MISMATCH(
      422,
      "The evidence is not bound to this nonce and TEE key (report data / nonce / key differ)."),
  NO_MATCHING_VERSION(422, "The claims match no version the workload's current policy accepts."),
  CONFIGURATION_MISMATCH(
      422, "The attested configuration digest differs from the matched version's."),
  POLICY_DENIED(422, "The workload's appraisal policy (CEL) denied the claims."),
  DEVICE_NOT_ATTESTED(
      422,
      "The matched version requires an attested device (e.g. a GPU) whose evidence was missing or"
          + " did not match.");

  private final int status;
  private final String meaning;

  AppraisalProblem(int status, String meaning) {
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
