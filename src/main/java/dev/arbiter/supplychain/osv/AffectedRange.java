// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One {@code affected[].ranges[]} entry, with its events pre-parsed under the range's ordering.
 * Evaluation follows the OSV schema's {@code IncludedInRanges}/{@code BeforeLimits} pseudocode:
 * events sorted by version ({@code introduced: "0"} first; at equal versions {@code introduced}
 * first), walking sets affected on {@code introduced <= v}, clears it on {@code fixed <= v} and on
 * {@code last_affected < v}; with {@code limit} events (other than {@code "*"}) {@code v} must be
 * below one of them. GIT ranges are evaluated by {@link GitRanges} instead.
 *
 * @param type {@code SEMVER}, {@code ECOSYSTEM} or {@code GIT}
 * @param repo the repository URL (GIT), else possibly null
 * @param ordering the ordering events were parsed with (null for GIT)
 */
public record AffectedRange(
    String type,
    String repo,
    List<RangeEvent> events,
    VersionOrdering ordering,
    List<Point> points,
    List<OrderedVersion> limits) {
  public AffectedRange {
    events = List.copyOf(events);
    points = points == null ? List.of() : List.copyOf(points);
    limits = limits == null ? List.of() : List.copyOf(limits);
  }

  /** A parsed event; {@code version} null means the special {@code introduced: "0"}. */
  public record Point(RangeEvent.Kind kind, OrderedVersion version) {}

  /**
   * Compiles a SEMVER or ECOSYSTEM range. Empty when an event version is not valid under the
   * ordering (the caller records {@link AdvisoryProblem#ADVISORY_INVALID_RANGE}).
   */
  static Optional<AffectedRange> compile(
      String type, String repo, List<RangeEvent> events, VersionOrdering ordering) {
    List<Point> points = new ArrayList<>();
    List<OrderedVersion> limits = new ArrayList<>();
    for (RangeEvent event : events) {
      if (event.kind() == RangeEvent.Kind.LIMIT) {
        if (!event.value().contains("*")) {
          Optional<OrderedVersion> limit = ordering.parse(event.value());
          if (limit.isEmpty()) {
            return Optional.empty();
          }
          limits.add(limit.get());
        }
        continue;
      }
      if (event.kind() == RangeEvent.Kind.INTRODUCED && event.value().equals("0")) {
        points.add(new Point(event.kind(), null));
        continue;
      }
      Optional<OrderedVersion> version = ordering.parse(event.value());
      if (version.isEmpty()) {
        return Optional.empty();
      }
      points.add(new Point(event.kind(), version.get()));
    }
    points.sort(ORDER);
    return Optional.of(new AffectedRange(type, repo, events, ordering, points, limits));
  }

  private static final Comparator<Point> ORDER =
      (a, b) -> {
        if (a.version() == null || b.version() == null) {
          return a.version() == b.version() ? 0 : (a.version() == null ? -1 : 1);
        }
        int c = a.version().compareTo(b.version());
        return c != 0 ? c : Integer.compare(a.kind().ordinal(), b.kind().ordinal());
      };

  /** True when {@code v} (parsed under {@link #ordering()}) is inside this range. */
  public boolean contains(OrderedVersion v) {
    if (!limits.isEmpty() && limits.stream().noneMatch(limit -> v.compareTo(limit) < 0)) {
      return false;
    }
    boolean affected = false;
    for (Point point : points) {
      switch (point.kind()) {
        case INTRODUCED -> {
          if (point.version() == null || v.compareTo(point.version()) >= 0) {
            affected = true;
          }
        }
        case FIXED -> {
          if (v.compareTo(point.version()) >= 0) {
            affected = false;
          }
        }
        case LAST_AFFECTED -> {
          if (v.compareTo(point.version()) > 0) {
            affected = false;
          }
        }
        case LIMIT -> {}
      }
    }
    return affected;
  }

  boolean isGit() {
    return type.equals("GIT");
  }
}
