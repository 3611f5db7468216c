// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import java.util.Objects;

/**
 * An authenticated caller: the certificate's common name, its role and the SHA-256 fingerprint of
 * the certificate. Recorded as "who" in every audit record and revision.
 */
public record Principal(String name, Role role, String fingerprint) {
  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** The principal for work Arbiter does by itself (schedulers, auto-abort). */
  public static Principal system(String what) {
    return new Principal("arbiter:" + what, Role.OPERATOR, "-");
  }

  /** The form stored in audit records, e.g. {@code operator:alice}. */
  public String label() {
    return role.id() + ":" + name;
  }
}
