// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.Arrays;
import java.util.Optional;

/**
 * Semantic Versioning 2.0.0 precedence (https://semver.org/#spec-item-11): numeric {@code
 * MAJOR.MINOR.PATCH} without leading zeros, a pre-release sorts before its release, pre-release
 * identifiers compare numerically when numeric and in ASCII order otherwise (numeric before
 * alphanumeric, a shorter list first when all else is equal), build metadata ({@code
 * +incompatible}) is ignored. Numbers may exceed 64 bits.
 *
 * <p>Three flavours differ only in what they accept around the version: {@link #STRICT} (OSV {@code
 * SEMVER} ranges and crates.io; an optional {@code v} is tolerated for SEMVER ranges), {@link #GO}
 * (Go module versions: the {@code v} prefix is optional, pseudo-versions are ordinary pre-releases
 * and so order by their timestamp), {@link #NPM} (node-semver's loose prefix: leading {@code v} or
 * {@code =} and surrounding spaces).
 */
public final class SemVer implements VersionOrdering {
  public static final SemVer STRICT = new SemVer("SemVer", false, true);
  public static final SemVer GO = new SemVer("Go semver", false, true);
  public static final SemVer NPM = new SemVer("npm semver", true, true);

  /** crates.io: Cargo versions are strict SemVer 2.0 (no {@code v} prefix). */
  public static final SemVer CARGO = new SemVer("Cargo semver", false, false);

  private final String name;
  private final boolean loose;
  private final boolean allowV;

  private SemVer(String name, boolean loose, boolean allowV) {
    this.name = name;
    this.loose = loose;
    this.allowV = allowV;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<OrderedVersion> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String s = loose ? text.strip() : text;
    if (loose && s.startsWith("=")) {
      s = s.substring(1).strip();
    }
    if (allowV && !s.isEmpty() && (s.charAt(0) == 'v' || (loose && s.charAt(0) == 'V'))) {
      s = s.substring(1);
    }
    int plus = s.indexOf('+');
    if (plus >= 0) {
      if (!identifiers(s.substring(plus + 1), false)) {
        return Optional.empty();
      }
      s = s.substring(0, plus);
    }
    String pre = null;
    int dash = s.indexOf('-');
    if (dash >= 0) {
      pre = s.substring(dash + 1);
      s = s.substring(0, dash);
      if (!identifiers(pre, true)) {
        return Optional.empty();
      }
    }
    String[] core = s.split("\\.", -1);
    if (core.length != 3) {
      return Optional.empty();
    }
    for (String number : core) {
      if (!isNumber(number)) {
        return Optional.empty();
      }
    }
    String[] preIds = pre == null ? new String[0] : pre.split("\\.", -1);
    return Optional.of(new Parsed(text, core, preIds));
  }

  private static boolean identifiers(String text, boolean numericNoLeadingZero) {
    if (text.isEmpty()) {
      return false;
    }
    for (String id : text.split("\\.", -1)) {
      if (id.isEmpty()) {
        return false;
      }
      for (int i = 0; i < id.length(); i++) {
        char c = id.charAt(i);
        if (!((c >= '0' && c <= '9')
            || (c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || c == '-')) {
          return false;
        }
      }
      if (numericNoLeadingZero && allDigits(id) && id.length() > 1 && id.charAt(0) == '0') {
        return false;
      }
    }
    return true;
  }

  static boolean allDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNumber(String s) {
    return allDigits(s) && (s.length() == 1 || s.charAt(0) != '0');
  }

  /** Compares digit strings without leading zeros (or with: they are stripped first). */
  static int compareNumeric(String a, String b) {
    String x = stripZeros(a);
    String y = stripZeros(b);
    if (x.length() != y.length()) {
      return Integer.compare(x.length(), y.length());
    }
    return Integer.signum(x.compareTo(y));
  }

  private static String stripZeros(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }

  private record Parsed(String text, String[] core, String[] pre) implements OrderedVersion {
    @Override
    public int compareTo(OrderedVersion other) {
      Parsed that = (Parsed) other;
      for (int i = 0; i < 3; i++) {
        int c = compareNumeric(core[i], that.core[i]);
        if (c != 0) {
          return c;
        }
      }
      if (pre.length == 0 || that.pre.length == 0) {
        return pre.length == that.pre.length ? 0 : (pre.length == 0 ? 1 : -1);
      }
      int n = Math.min(pre.length, that.pre.length);
      for (int i = 0; i < n; i++) {
        String a = pre[i];
        String b = that.pre[i];
        boolean an = allDigits(a);
        boolean bn = allDigits(b);
        int c;
        if (an && bn) {
          c = compareNumeric(a, b);
        } else if (an) {
          c = -1;
        } else if (bn) {
          c = 1;
        } else {
          c = Integer.signum(a.compareTo(b));
        }
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(pre.length, that.pre.length);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parsed p && compareTo(p) == 0;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(core) * 31 + Arrays.hashCode(pre);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
