// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import dev.arbiter.problem.ProblemType;

/**
 * Why a workload's supply-chain policy, a version's admission or an advisory import was refused.
 * Provenance, SBOM and OSV problems keep their own types ({@code provenance-*}, {@code sbom-*},
 * {@code advisory-*}); these cover what only the server decides.
 */
public enum SupplyChainProblem implements ProblemType {
  SUPPLY_CHAIN_POLICY_INVALID(
      400, "The supply-chain policy document is malformed; the detail names the field."),
  SUPPLY_CHAIN_DOCUMENT_INVALID(
      400, "A provenance or SBOM document in the request is neither base64 text nor a JSON value."),
  PROVENANCE_SIGNER_UNTRUSTED(
      422,
      "The provenance signer's certificate identity or OIDC issuer is not one the workload"
          + " trusts."),
  PROVENANCE_POLICY_DENIED(
      422, "The workload's CEL expression over the provenance is not satisfied."),
  PROVENANCE_QUORUM_NOT_MET(
      422,
      "Fewer verified provenance statements from distinct trusted builders attest the artifact"
          + " digest than the workload's quorum."),
  ARTIFACT_DIGEST_REQUIRED(
      422, "The version names no artifact digest, and none can be derived from its provenance."),
  REFERENCE_VALUES_NOT_DERIVABLE(
      422,
      "Reference values cannot be derived from the provenance as the policy says, or conflict with"
          + " the given ones."),
  SBOM_REQUIRED(422, "The workload's supply-chain policy requires an SBOM bound to the version."),
  VULNERABILITY_BLOCKING(
      422,
      "A component of the version's SBOM has a known vulnerability the workload's vulnerability"
          + " policy blocks."),
  ADVISORY_IMPORT_UNUSABLE(
      422,
      "No record of the advisory import can be stored: every one is unusable (see the problems"
          + " listed).");

  private final int status;
  private final String meaning;

  SupplyChainProblem(int status, String meaning) {
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
