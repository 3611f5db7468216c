// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyPI's ordering: PEP 440 as implemented by {@code packaging.version.Version} (the reference the
 * Python tools and OSV use). Accepts the permissive spellings PEP 440 normalises (case, {@code v}
 * prefix, {@code alpha/beta/c/pre/preview}, {@code rev/r}, {@code -N} post releases, {@code .-_}
 * separators, implicit numbers) and orders by epoch, release (trailing zeros ignored), then {@code
 * X.devN < XaN < XbN < XrcN < X < X.postN}, with dev releases of a pre/post release just before it,
 * and local versions ({@code +abc.5}) after the public version (numeric local segments after
 * alphanumeric ones). Strings that are not PEP 440 (legacy versions) do not parse.
 */
public final class Pep440Version implements VersionOrdering {
  public static final Pep440Version INSTANCE = new Pep440Version();

  private static final Pattern PATTERN =
      Pattern.compile(
          "^\\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
              + "(?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?"
              + "(?<dev>[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$",
          Pattern.CASE_INSENSITIVE);

  private Pep440Version() {}

  @Override
  public String name() {
    return "PEP 440";
  }

  @Override
  public Optional<OrderedVersion> parse(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Matcher m = PATTERN.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String epoch = m.group("epoch") == null ? "0" : m.group("epoch");
    List<String> release = new ArrayList<>(List.of(m.group("release").split("\\.")));
    while (release.size() > 1 && isZero(release.get(release.size() - 1))) {
      release.remove(release.size() - 1);
    }
    if (release.size() == 1 && isZero(release.get(0))) {
      release.clear();
    }
    int preRank = NONE;
    String preNumber = "0";
    if (m.group("pre") != null) {
      String letter = m.group("prel").toLowerCase(Locale.ROOT);
      preRank =
          switch (letter) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2; // c, rc, pre, preview
          };
      preNumber = orZero(m.group("pren"));
    }
    String post = null;
    if (m.group("post") != null) {
      post = m.group("postn1") != null ? m.group("postn1") : orZero(m.group("postn2"));
    }
    String dev = m.group("dev") == null ? null : orZero(m.group("devn"));
    // packaging's _cmpkey: a dev release without pre/post sorts before any pre-release
    if (preRank == NONE) {
      preRank = (post == null && dev != null) ? MINUS_INFINITY : PLUS_INFINITY;
    }
    List<String> local =
        m.group("local") == null
            ? null
            : List.of(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]"));
    return Optional.of(
        new Parsed(text, epoch, List.copyOf(release), preRank, preNumber, post, dev, local));
  }

  private static final int NONE = -2;
  private static final int MINUS_INFINITY = -1;
  private static final int PLUS_INFINITY = 3;

  private static boolean isZero(String digits) {
    return digits.chars().allMatch(c -> c == '0');
  }

  private static String orZero(String digits) {
    return digits == null ? "0" : digits;
  }

  private record Parsed(
      String text,
      String epoch,
      List<String> release,
      int preRank,
      String preNumber,
      String post,
      String dev,
      List<String> local)
      implements OrderedVersion {

    @Override
    public int compareTo(OrderedVersion other) {
      Parsed o = (Parsed) other;
      int c = SemVer.compareNumeric(epoch, o.epoch);
      if (c != 0) {
        return c;
      }
      c = compareRelease(release, o.release);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(preRank, o.preRank);
      if (c != 0) {
        return c;
      }
      if (preRank >= 0 && preRank <= 2) {
        c = SemVer.compareNumeric(preNumber, o.preNumber);
        if (c != 0) {
          return c;
        }
      }
      c = compareOptional(post, o.post, false);
      if (c != 0) {
        return c;
      }
      c = compareOptional(dev, o.dev, true);
      if (c != 0) {
        return c;
      }
      return compareLocal(local, o.local);
    }

    private static int compareRelease(List<String> a, List<String> b) {
      int n = Math.min(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        int c = SemVer.compareNumeric(a.get(i), b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.size(), b.size()); // trailing zeros were removed
    }

    /** Absent sorts first ({@code absentIsMax = false}, post) or last (dev). */
    private static int compareOptional(String a, String b, boolean absentIsMax) {
      if (a == null || b == null) {
        if (a == b) {
          return 0;
        }
        return (a == null) == absentIsMax ? 1 : -1;
      }
      return SemVer.compareNumeric(a, b);
    }

    private static int compareLocal(List<String> a, List<String> b) {
      if (a == null || b == null) {
        return a == b ? 0 : (a == null ? -1 : 1);
      }
      int n = Math.min(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        String x = a.get(i);
        String y = b.get(i);
        boolean xn = SemVer.allDigits(x);
        boolean yn = SemVer.allDigits(y);
        int c =
            xn && yn
                ? SemVer.compareNumeric(x, y)
                : xn ? 1 : yn ? -1 : Integer.signum(x.compareTo(y));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.size(), b.size());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parsed p && compareTo(p) == 0;
    }

    @Override
    public int hashCode() {
      return release.size() * 31 + preRank;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
