// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The charts' geometry in unit coordinates (x from 0 to 1 across the time axis), shared by the HTML
 * (SVG) and PDF renderers: one lane per version showing when the policy accepted it, the revisions
 * as ticks and each version's first attestation as a mark; per rollout, stacked columns of the
 * fleet share of each version.
 */
final class Charts {
  private Charts() {}

  /** An interval during which a version was accepted. */
  record Bar(double x0, double x1) {}

  /** The versions timeline. */
  record Lanes(
      String start,
      String end,
      List<String> versions,
      Map<String, List<Bar>> accepted,
      List<Double> revisions,
      Map<String, Double> firstAttestation) {}

  /** One stacked column: the share of each version at a bucket. */
  record Column(String at, Map<String, Double> shares) {}

  static Lanes lanes(Timelines timelines, String reportTo) {
    List<Timelines.RevisionPoint> revisions = timelines.revisions();
    Instant end = Instant.parse(reportTo);
    Instant start =
        revisions.isEmpty() ? end.minusSeconds(1) : Instant.parse(revisions.get(0).at());
    if (!end.isAfter(start)) {
      end = start.plusSeconds(1);
    }
    double span = end.toEpochMilli() - start.toEpochMilli();
    Instant origin = start;
    java.util.function.Function<String, Double> x =
        at ->
            Math.max(
                0, Math.min(1, (Instant.parse(at).toEpochMilli() - origin.toEpochMilli()) / span));
    TreeSet<String> names = new TreeSet<>();
    revisions.forEach(r -> names.addAll(r.accepted()));
    timelines.firstAttestations().forEach(v -> names.add(v.version()));
    Map<String, List<Bar>> bars = new LinkedHashMap<>();
    for (String version : names) {
      List<Bar> list = new ArrayList<>();
      Double open = null;
      for (Timelines.RevisionPoint r : revisions) {
        boolean accepted = r.accepted().contains(version);
        if (accepted && open == null) {
          open = x.apply(r.at());
        } else if (!accepted && open != null) {
          list.add(new Bar(open, x.apply(r.at())));
          open = null;
        }
      }
      if (open != null) {
        list.add(new Bar(open, 1.0));
      }
      bars.put(version, list);
    }
    Map<String, Double> first = new LinkedHashMap<>();
    timelines.firstAttestations().forEach(v -> first.put(v.version(), x.apply(v.at())));
    return new Lanes(
        start.toString(),
        end.toString(),
        List.copyOf(names),
        bars,
        revisions.stream().map(r -> x.apply(r.at())).toList(),
        first);
  }

  static List<Column> columns(Timelines.RolloutShares rollout) {
    Map<String, Map<String, Double>> byTime = new TreeMap<>();
    for (Timelines.Share s : rollout.shares()) {
      byTime.computeIfAbsent(s.at(), k -> new TreeMap<>()).put(s.version(), s.share());
    }
    List<Column> out = new ArrayList<>();
    byTime.forEach((at, shares) -> out.add(new Column(at, shares)));
    return out;
  }

  /** A stable colour per version (hex RGB), from a fixed palette. */
  static String colour(List<String> versions, String version) {
    String[] palette = {
      "1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f"
    };
    int i = Math.max(0, versions.indexOf(version));
    return palette[i % palette.length];
  }
}
