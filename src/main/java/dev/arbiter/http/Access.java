// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import dev.arbiter.auth.Role;
import java.util.EnumSet;
import java.util.Set;

/** Who may call a route. Open routes take no client certificate (CONTRACTS.md lists them). */
public enum Access {
  OPEN(EnumSet.noneOf(Role.class)),
  /** Any admin role: operator, pipeline, auditor. */
  READ(EnumSet.allOf(Role.class)),
  /** Release pipelines and operators. */
  PIPELINE(EnumSet.of(Role.OPERATOR, Role.PIPELINE)),
  /** Auditors and operators. */
  AUDIT(EnumSet.of(Role.OPERATOR, Role.AUDITOR)),
  OPERATOR(EnumSet.of(Role.OPERATOR));

  private final Set<Role> roles;

  Access(Set<Role> roles) {
    this.roles = roles;
  }

  public boolean allows(Role role) {
    return roles.contains(role);
  }

  public Set<Role> roles() {
    return roles;
  }
}
