// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Optional;

/**
 * The version ordering of one ecosystem (or of OSV's {@code SEMVER} range type). Implementations
 * are pure, thread-safe and never throw on any input: a string that is not a valid version under
 * the ordering parses to {@link Optional#empty()}.
 */
public sealed interface VersionOrdering
    permits SemVer, MavenVersion, Pep440Version, RubyGemsVersion, DebianVersion {

  /** A short name for messages, e.g. {@code PEP 440}. */
  String name();

  /** Parses a version; empty when the text is not a valid version under this ordering. */
  Optional<OrderedVersion> parse(String text);

  /**
   * Compares two version strings.
   *
   * @throws IllegalArgumentException when either is not a valid version (callers that handle
   *     untrusted input use {@link #parse} instead)
   */
  default int compare(String left, String right) {
    OrderedVersion a =
        parse(left)
            .orElseThrow(() -> new IllegalArgumentException(name() + ": not a version: " + left));
    OrderedVersion b =
        parse(right)
            .orElseThrow(() -> new IllegalArgumentException(name() + ": not a version: " + right));
    return a.compareTo(b);
  }

  /**
   * Upper bound on version text length; longer strings are not versions (bounds work per parse).
   */
  int MAX_LENGTH = 256;
}
