// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import dev.arbiter.problem.ProblemType;

/** Why an Attestation Result token was not accepted. */
public enum TokenProblem implements ProblemType {
  TOKEN_MALFORMED(
      400, "The token is not a well-formed compact JWS (three segments, JSON header and claims)."),
  TOKEN_ALGORITHM_REFUSED(
      401, "The token's algorithm is not allowed (only ES256/ES384; never none or HMAC)."),
  TOKEN_KEY_UNKNOWN(
      401,
      "No trusted key matches the token's kid (keys embedded in the header are never trusted)."),
  TOKEN_SIGNATURE_INVALID(401, "The token's signature does not verify under the trusted key."),
  TOKEN_EXPIRED(401, "The token is past its exp (or not yet valid) at the verification time."),
  TOKEN_PROFILE_UNKNOWN(400, "The token's eat_profile is not one this verifier understands."),
  TOKEN_CLAIMS_INVALID(400, "A mandatory EAR claim is missing or has the wrong type.");

  private final int status;
  private final String meaning;

  TokenProblem(int status, String meaning) {
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
