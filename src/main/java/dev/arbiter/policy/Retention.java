// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.arbiter.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long decision records are kept: {@code forever}, or a period of at least one day. Written as
 * {@code forever} or an ISO-8601 duration ({@code P90D} for whole days, else e.g. {@code PT36H});
 * read from those or the short forms {@code 90d} / {@code 36h}.
 */
public record Retention(Optional<Duration> period) {
  /** The shortest retention: the rollout scheduler and the console read the last hours. */
  public static final Duration MINIMUM = Duration.ofDays(1);

  private static final Pattern SHORT = Pattern.compile("([0-9]{1,6})([dh])");

  public Retention {
    if (period.isPresent() && period.get().compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException("retention below " + MINIMUM);
    }
  }

  public static Retention forever() {
    return new Retention(Optional.empty());
  }

  /**
   * Parses {@code forever}, {@code 90d}, {@code 36h} or an ISO-8601 duration.
   *
   * @throws ProblemException {@code retention-invalid}
   */
  public static Retention parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ProblemException(PolicyProblem.RETENTION_INVALID, "a retention is required");
    }
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (value.equals("forever")) {
      return forever();
    }
    Duration period;
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      period = m.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
    } else {
      try {
        period = Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new ProblemException(
            PolicyProblem.RETENTION_INVALID,
            "not a retention: " + text.strip() + " (forever, 90d, 36h, P90D or PT36H)");
      }
    }
    if (period.compareTo(MINIMUM) < 0) {
      throw new ProblemException(
          PolicyProblem.RETENTION_INVALID,
          "a retention must be at least one day (P1D), not " + text.strip());
    }
    return new Retention(Optional.of(period));
  }

  public boolean isForever() {
    return period.isEmpty();
  }

  /** The stored and JSON form: {@code forever}, {@code P90D} (whole days) or {@code PT36H}. */
  public String wire() {
    if (period.isEmpty()) {
      return "forever";
    }
    Duration d = period.get();
    return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
  }

  /** Records appended before this instant are past retention (empty: keep forever). */
  public Optional<Instant> cutoff(Instant now) {
    return period.map(now::minus);
  }

  @Override
  public String toString() {
    return wire();
  }
}
