// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.core;

import dev.arbiter.problem.ProblemType;

/**
 * Why signed provenance (DSSE envelope, Sigstore bundle, in-toto Statement) was refused. The detail
 * names the field, entry or certificate; it never contains key material or the whole input.
 */
public enum ProvenanceProblem implements ProblemType {
  PROVENANCE_MALFORMED(
      422,
      "The provenance is not a well-formed DSSE envelope, Sigstore bundle or supported container."),
  PROVENANCE_MEDIA_TYPE_UNSUPPORTED(
      422, "The bundle media type or the envelope payload type is not supported."),
  PROVENANCE_STATEMENT_INVALID(
      422, "The signed payload is not a valid in-toto Statement (type, subjects or digests)."),
  PROVENANCE_PREDICATE_UNSUPPORTED(
      422, "The Statement's predicate type is not a supported provenance predicate."),
  PROVENANCE_SIGNATURE_INVALID(
      422,
      "The envelope or message signature does not verify under the signing key or certificate."),
  PROVENANCE_NO_TRUSTED_KEY(
      422, "No configured key matches the signature (keyed signing) and there is no certificate."),
  PROVENANCE_KEY_MALFORMED(
      422, "A configured verification key cannot be parsed or has an unsupported algorithm."),
  PROVENANCE_TRUSTED_ROOT_INVALID(422, "The Sigstore trusted root cannot be parsed."),
  PROVENANCE_CERTIFICATE_UNTRUSTED(
      422,
      "The signing certificate does not chain to a trusted Fulcio CA at the verification time, or"
          + " is not a code-signing leaf."),
  PROVENANCE_SCT_INVALID(
      422,
      "The signing certificate's embedded SCT is missing or does not verify under a trusted CT"
          + " log."),
  PROVENANCE_IDENTITY_MISMATCH(
      422, "The signing certificate's identity or OIDC issuer does not match the required ones."),
  PROVENANCE_IDENTITY_REQUIRED(
      422,
      "A keyless signature needs both a certificate identity and an OIDC issuer requirement, or an"
          + " explicit --insecure-ignore-identity."),
  PROVENANCE_TLOG_ENTRY_INVALID(
      422,
      "A transparency-log entry's SET, inclusion proof or checkpoint does not verify under a"
          + " trusted log key."),
  PROVENANCE_TLOG_ENTRY_MISMATCH(
      422, "A transparency-log entry does not record this envelope, signature or signing key."),
  PROVENANCE_TLOG_ENTRY_MISSING(
      422,
      "The bundle lacks a transparency-log entry, or the inclusion proof its version requires."),
  PROVENANCE_TIME_UNVERIFIED(
      422,
      "No verified time (SET-backed integrated time or --at) is available to check the"
          + " certificate."),
  PROVENANCE_DIGEST_MISMATCH(
      422, "No subject of the Statement carries the expected artifact digest."),
  PROVENANCE_BUILDER_UNTRUSTED(
      422, "The predicate's builder id is not one of the trusted builder ids.");

  private final int status;
  private final String meaning;

  ProvenanceProblem(int status, String meaning) {
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
