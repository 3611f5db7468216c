// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import java.util.Locale;
import java.util.Optional;

/** Admin roles, taken from the client certificate through {@code roles.json}. */
public enum Role {
  /** Everything. */
  OPERATOR,
  /** Register versions and drive rollouts; read workloads and policies. */
  PIPELINE,
  /** Read-only, including audit verification. */
  AUDITOR;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String text) {
    for (Role role : values()) {
      if (role.id().equals(text)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
