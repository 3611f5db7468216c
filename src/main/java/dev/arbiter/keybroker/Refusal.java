// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

/**
 * Why a release was refused: a stable check name and a detail for the server and audit logs. Never
 * leaves this package; callers see only {@link KeyBrokerProblem#RELEASE_REFUSED}. Details never
 * contain secret material.
 */
final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;
  private final String check;

  Refusal(String check, String detail) {
    super(detail, null, false, false);
    this.check = check;
  }

  /** e.g. {@code token-invalid}, {@code proof-url}, {@code nonce-reused}, {@code policy-denied}. */
  String check() {
    return check;
  }

  String detail() {
    return getMessage();
  }
}
