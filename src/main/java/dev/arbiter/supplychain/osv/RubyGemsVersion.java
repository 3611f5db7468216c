// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems' {@code Gem::Version} ordering: a version is valid when it matches {@code
 * Gem::Version::ANCHORED_VERSION_PATTERN}; {@code -} reads as {@code .pre.}; segments are runs of
 * digits (numbers) or letters (strings); trailing zero segments are dropped both before the first
 * string segment and at the end ({@code canonical_segments}); segments compare pairwise with a
 * missing segment read as 0, a string below any number ({@code 1.0.a < 1.0 < 1.0.1}, so a letter
 * marks a prerelease) and strings in byte order. An empty string is version {@code 0}.
 */
public final class RubyGemsVersion implements VersionOrdering {
  public static final RubyGemsVersion INSTANCE = new RubyGemsVersion();

  private static final Pattern VALID =
      Pattern.compile(
          "^\\s*([0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?\\s*$");
  private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

  private RubyGemsVersion() {}

  @Override
  public String name() {
    return "RubyGems";
  }

  @Override
  public Optional<OrderedVersion> parse(String text) {
    if (text == null || text.length() > MAX_LENGTH || !VALID.matcher(text).matches()) {
      return Optional.empty();
    }
    String version = text.strip();
    if (version.isEmpty()) {
      version = "0";
    }
    version = version.replace("-", ".pre.");
    List<Object> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(version);
    while (m.find()) {
      String s = m.group();
      segments.add(Character.isDigit(s.charAt(0)) ? (Object) new Num(s) : s);
    }
    int firstString = segments.size();
    for (int i = 0; i < segments.size(); i++) {
      if (segments.get(i) instanceof String) {
        firstString = i;
        break;
      }
    }
    List<Object> canonical = new ArrayList<>(dropTrailingZeros(segments.subList(0, firstString)));
    canonical.addAll(dropTrailingZeros(segments.subList(firstString, segments.size())));
    return Optional.of(new Parsed(text, List.copyOf(canonical)));
  }

  private static List<Object> dropTrailingZeros(List<Object> segments) {
    int end = segments.size();
    while (end > 0 && segments.get(end - 1) instanceof Num n && n.isZero()) {
      end--;
    }
    return segments.subList(0, end);
  }

  /** A digit run compared numerically, of any length. */
  private record Num(String digits) {
    boolean isZero() {
      return digits.chars().allMatch(c -> c == '0');
    }
  }

  private static final Num ZERO = new Num("0");

  private record Parsed(String text, List<Object> segments) implements OrderedVersion {
    @Override
    public int compareTo(OrderedVersion other) {
      List<Object> a = segments;
      List<Object> b = ((Parsed) other).segments;
      int n = Math.max(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        Object x = i < a.size() ? a.get(i) : ZERO;
        Object y = i < b.size() ? b.get(i) : ZERO;
        int c;
        if (x instanceof Num xn && y instanceof Num yn) {
          c = SemVer.compareNumeric(xn.digits(), yn.digits());
        } else if (x instanceof String xs && y instanceof String ys) {
          c = Integer.signum(xs.compareTo(ys));
        } else {
          c = x instanceof String ? -1 : 1;
        }
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parsed p && compareTo(p) == 0;
    }

    @Override
    public int hashCode() {
      return segments.stream().filter(s -> s instanceof String).mapToInt(Object::hashCode).sum();
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
