// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import java.util.Objects;

/**
 * A component's identity in OSV terms, derived from its package URL: the OSV ecosystem (e.g. {@code
 * Go}, {@code Maven}, {@code Debian:10}, or {@link #GIT} for a source repository), the package name
 * as OSV writes it, normalised by {@link Purls#normalizeName} (Maven {@code group:artifact}, npm
 * {@code @scope/name}, Go module path, PyPI PEP 503 form), the version as the purl gives it (Go
 * keeps its {@code v}), and for {@link #GIT} a commit hash (else null).
 */
public record PackageRef(String ecosystem, String name, String version, String commit) {
  /** Pseudo-ecosystem for source repositories; {@code name} is {@code host/owner/repo}. */
  public static final String GIT = "GIT";

  public PackageRef {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
  }
}
