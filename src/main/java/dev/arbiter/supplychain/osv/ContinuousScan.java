// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.supplychain.sbom.Sbom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Post-deployment monitoring: the advisories known so far and the SBOMs of accepted versions.
 * Adding an SBOM scans it fully; adding an advisory re-scans incrementally and returns only the
 * newly affected SBOMs (findings the previous copy of the same OSV id did not already produce).
 * Thread-safe: all changes are serialised.
 */
public final class ContinuousScan {
  private final AdvisoryIndex index = new AdvisoryIndex();
  private final SbomInventory inventory = new SbomInventory();
  private final CommitGraph graph;
  private final Scanner scanner;

  public ContinuousScan() {
    this(CommitGraph.EXACT);
  }

  public ContinuousScan(CommitGraph graph) {
    this.graph = graph;
    this.scanner = new Scanner(index, graph);
  }

  /** Registers (or replaces) an SBOM and returns its full scan. */
  public synchronized ScanResult putSbom(String sbomId, Sbom sbom) {
    inventory.put(sbomId, sbom);
    return scanner.scan(sbom);
  }

  public synchronized void removeSbom(String sbomId) {
    inventory.remove(sbomId);
  }

  /** Bulk load without computing deltas (startup, imports before any SBOM is registered). */
  public synchronized void loadAdvisories(List<Advisory> advisories) {
    index.addAll(advisories);
  }

  /**
   * Adds, updates or withdraws one advisory and returns the SBOMs it newly affects, with the new
   * findings; empty for a stale or withdrawn record.
   */
  public synchronized Map<String, List<Finding>> addAdvisory(Advisory advisory) {
    Optional<Advisory> current = index.get(advisory.id());
    if (current.isPresent() && advisory.modified().isBefore(current.get().modified())) {
      return Map.of();
    }
    index.add(advisory);
    Map<String, List<Finding>> now = inventory.affectedBy(advisory, graph);
    if (current.isEmpty() || now.isEmpty()) {
      return now;
    }
    Map<String, List<Finding>> before = inventory.affectedBy(current.get(), graph);
    Map<String, List<Finding>> delta = new TreeMap<>();
    now.forEach((id, findings) -> {
      Set<Scanner.FindingKey> old = new HashSet<>();
      before.getOrDefault(id, List.of()).forEach(f -> old.add(Scanner.key(f)));
      List<Finding> fresh =
          new ArrayList<>(findings.stream().filter(f -> !old.contains(Scanner.key(f))).toList());
      if (!fresh.isEmpty()) {
        delta.put(id, List.copyOf(fresh));
      }
    });
    return delta;
  }

  public AdvisoryIndex index() {
    return index;
  }

  public Scanner scanner() {
    return scanner;
  }
}
