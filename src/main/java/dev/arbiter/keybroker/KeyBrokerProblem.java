// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.problem.ProblemType;

/** Problems of the key broker: the one uniform release refusal, and secret administration. */
public enum KeyBrokerProblem implements ProblemType {
  RELEASE_REFUSED(
      403,
      "The resource is not released to this caller; deliberately uniform, the reason is only in the"
          + " server and audit logs."),
  SECRET_NOT_FOUND(404, "No secret has this name."),
  SECRET_EXISTS(409, "A secret with this name already exists (use rotate to change its value)."),
  INVALID_SECRET_NAME(400, "A secret name does not have the allowed form."),
  INVALID_SECRET_VALUE(
      400, "A secret value is missing, empty, not base64 or larger than the limit.");

  private final int status;
  private final String meaning;

  KeyBrokerProblem(int status, String meaning) {
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
