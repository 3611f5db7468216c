// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Map;
import java.util.Optional;

/**
 * OSV ecosystem names (case-sensitive, as in the OSV schema) to index keys and version orderings.
 * Supported orderings: Go, npm, PyPI, Maven, crates.io, RubyGems, and Debian ({@code Debian:N},
 * dpkg). Any other ecosystem is still indexed (explicit {@code versions} lists and {@code SEMVER}
 * ranges work for it) but its {@code ECOSYSTEM} ranges are skipped with {@link
 * AdvisoryProblem#ADVISORY_UNKNOWN_ECOSYSTEM}.
 */
public final class Ecosystems {
  private static final Map<String, VersionOrdering> ORDERINGS =
      Map.of(
          "Go", SemVer.GO,
          "npm", SemVer.NPM,
          "PyPI", Pep440Version.INSTANCE,
          "Maven", MavenVersion.INSTANCE,
          "crates.io", SemVer.CARGO,
          "RubyGems", RubyGemsVersion.INSTANCE,
          "Debian", DebianVersion.INSTANCE);

  private Ecosystems() {}

  /**
   * The key an ecosystem is indexed under: the name itself, except that a repository suffix is
   * dropped for Maven and Packagist ({@code Maven:https://maven.google.com} is {@code Maven});
   * release suffixes of OS ecosystems ({@code Debian:10}) are kept.
   */
  public static String key(String ecosystem) {
    int colon = ecosystem.indexOf(':');
    if (colon > 0) {
      String base = ecosystem.substring(0, colon);
      if (base.equals("Maven") || base.equals("Packagist")) {
        return base;
      }
    }
    return ecosystem;
  }

  /** The ordering of an ecosystem's ECOSYSTEM ranges, if supported. */
  public static Optional<VersionOrdering> ordering(String ecosystem) {
    String key = key(ecosystem);
    int colon = key.indexOf(':');
    return Optional.ofNullable(ORDERINGS.get(colon > 0 ? key.substring(0, colon) : key));
  }

  /** The ecosystem's versions as OSV writes them: Go drops the {@code v} prefix. */
  static String osvVersion(String ecosystem, String version) {
    if (ecosystem.equals("Go") && version.length() > 1 && version.charAt(0) == 'v') {
      return version.substring(1);
    }
    return version;
  }
}
