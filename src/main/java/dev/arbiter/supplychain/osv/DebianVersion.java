// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Debian's ordering ({@code dpkg --compare-versions}, Debian Policy 5.6.12): {@code
 * [epoch:]upstream[-revision]}; the epoch compares numerically, then upstream and revision with
 * dpkg's {@code verrevcmp}: alternating non-digit runs (letters before non-letters, {@code ~}
 * before everything, even the end) and digit runs (numerically). A missing revision equals {@code
 * 0}.
 */
public final class DebianVersion implements VersionOrdering {
  public static final DebianVersion INSTANCE = new DebianVersion();

  private static final Pattern EPOCH = Pattern.compile("[0-9]+");
  private static final Pattern UPSTREAM = Pattern.compile("[0-9][A-Za-z0-9.+~:-]*");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9.+~]+");

  private DebianVersion() {}

  @Override
  public String name() {
    return "dpkg";
  }

  @Override
  public Optional<OrderedVersion> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String rest = text.strip();
    String epoch = "0";
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      epoch = rest.substring(0, colon);
      rest = rest.substring(colon + 1);
      if (!EPOCH.matcher(epoch).matches()) {
        return Optional.empty();
      }
    }
    String revision = "";
    int dash = rest.lastIndexOf('-');
    if (dash >= 0) {
      revision = rest.substring(dash + 1);
      rest = rest.substring(0, dash);
      if (!REVISION.matcher(revision).matches()) {
        return Optional.empty();
      }
    }
    if (!UPSTREAM.matcher(rest).matches() || (colon < 0 && rest.indexOf(':') >= 0)) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(text, epoch, rest, revision));
  }

  private static int order(char c) {
    if (c >= '0' && c <= '9') {
      return 0;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c == 0 ? 0 : c + 256;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  /** dpkg's {@code verrevcmp}. */
  static int verrevcmp(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !digit(a.charAt(i))) || (j < b.length() && !digit(b.charAt(j)))) {
        int ac = order(i < a.length() ? a.charAt(i) : 0);
        int bc = order(j < b.length() ? b.charAt(j) : 0);
        if (ac != bc) {
          return Integer.signum(ac - bc);
        }
        i++;
        j++;
      }
      int si = i;
      int sj = j;
      while (i < a.length() && digit(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && digit(b.charAt(j))) {
        j++;
      }
      int c =
          SemVer.compareNumeric(
              si == i ? "0" : a.substring(si, i), sj == j ? "0" : b.substring(sj, j));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private record Parsed(String text, String epoch, String upstream, String revision)
      implements OrderedVersion {
    @Override
    public int compareTo(OrderedVersion other) {
      Parsed o = (Parsed) other;
      int c = SemVer.compareNumeric(epoch, o.epoch);
      if (c == 0) {
        c = verrevcmp(upstream, o.upstream);
      }
      return c != 0 ? c : verrevcmp(revision, o.revision);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parsed p && compareTo(p) == 0;
    }

    @Override
    public int hashCode() {
      return 0; // equal versions may differ textually (1.0 vs 1.00 vs 1.0-0); ordering is what
      // matters
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
