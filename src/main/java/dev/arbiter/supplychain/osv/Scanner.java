// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.sbom.Component;
import dev.arbiter.supplychain.sbom.PackageRef;
import dev.arbiter.supplychain.sbom.Sbom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches SBOM components against an {@link AdvisoryIndex} with OSV semantics. A component is
 * considered only through the OSV identity of its purl ({@code Component.packageRef}); components
 * without one are counted and never matched. Thread-safe when the index is.
 */
public final class Scanner {
  private static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::purl, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Finding::osvId);

  private final AdvisoryIndex index;
  private final CommitGraph graph;

  public Scanner(AdvisoryIndex index) {
    this(index, CommitGraph.EXACT);
  }

  public Scanner(AdvisoryIndex index, CommitGraph graph) {
    this.index = index;
    this.graph = graph;
  }

  public ScanResult scan(Sbom sbom) {
    return scan(sbom.components());
  }

  public ScanResult scan(List<Component> components) {
    Map<FindingKey, Finding> findings = new LinkedHashMap<>();
    List<Problem> notes = new ArrayList<>();
    for (Component component : components) {
      if (component.packageRef().isEmpty()) {
        continue;
      }
      PackageRef ref = component.packageRef().get();
      List<AdvisoryIndex.Entry> entries = index.entriesFor(ref);
      if (entries.isEmpty()) {
        continue;
      }
      ComponentMatcher matcher = new ComponentMatcher(component, ref, graph);
      matcher.match(entries, finding -> findings.putIfAbsent(new FindingKey(finding), finding));
      matcher.note().ifPresent(notes::add);
    }
    List<Finding> sorted = new ArrayList<>(findings.values());
    sorted.sort(ORDER);
    return new ScanResult(components.size(), sorted, notes);
  }

  /** Findings of one advisory's entries for one component (used by incremental re-scans). */
  static List<Finding> match(
      Component component, List<AdvisoryIndex.Entry> entries, CommitGraph graph) {
    List<Finding> out = new ArrayList<>();
    component
        .packageRef()
        .ifPresent(ref -> new ComponentMatcher(component, ref, graph).match(entries, out::add));
    return out;
  }

  static FindingKey key(Finding finding) {
    return new FindingKey(finding);
  }

  /** Findings are unique per (purl, version, advisory id). */
  record FindingKey(String purl, String version, String osvId) {
    FindingKey(Finding finding) {
      this(finding.purl(), finding.version(), finding.osvId());
    }
  }
}
