// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Optional;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven's ordering, delegated to {@code org.apache.maven.artifact.versioning.ComparableVersion}
 * (the implementation Maven itself resolves ranges with): numeric segments compare numerically
 * ({@code 2.9.10 < 2.12.6.1}), trailing zeros are insignificant ({@code 1.0 == 1}), qualifiers
 * order {@code alpha < beta < milestone < rc/cr < snapshot < "" (release) < sp}, unknown qualifiers
 * sort after known ones lexically ({@code 24.1.1-jre}, {@code 9.4.18.v20190429}). Any non-blank
 * string up to {@link #MAX_LENGTH} characters is a Maven version.
 */
public final class MavenVersion implements VersionOrdering {
  public static final MavenVersion INSTANCE = new MavenVersion();

  private MavenVersion() {}

  @Override
  public String name() {
    return "Maven";
  }

  @Override
  public Optional<OrderedVersion> parse(String text) {
    if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Parsed(text, new ComparableVersion(text)));
    } catch (RuntimeException e) {
      return Optional.empty(); // ComparableVersion is lenient; this guards odd inputs anyway
    }
  }

  private record Parsed(String text, ComparableVersion version) implements OrderedVersion {
    @Override
    public int compareTo(OrderedVersion other) {
      return Integer.signum(version.compareTo(((Parsed) other).version));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parsed p && version.equals(p.version);
    }

    @Override
    public int hashCode() {
      return version.hashCode();
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
