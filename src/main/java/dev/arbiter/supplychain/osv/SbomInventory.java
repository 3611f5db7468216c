// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.supplychain.sbom.Component;
import dev.arbiter.supplychain.sbom.PackageRef;
import dev.arbiter.supplychain.sbom.Sbom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reverse index for incremental re-scans: package key to the SBOMs (by caller-chosen id, e.g. a
 * version id) containing that package, with those components. {@link #affectedBy} evaluates one
 * advisory against only the SBOMs that contain one of its packages, so its cost is proportional to
 * how widely those packages are used, not to the number of SBOMs. Thread-safe: writers are
 * serialised; readers see a consistent per-package map.
 */
public final class SbomInventory {
  private final Map<AdvisoryIndex.Key, Map<String, List<Component>>> byPackage =
      new ConcurrentHashMap<>();
  private final Map<String, Sbom> sboms = new ConcurrentHashMap<>();

  /** Adds or replaces the SBOM with this id. */
  public synchronized void put(String sbomId, Sbom sbom) {
    remove(sbomId);
    sboms.put(sbomId, sbom);
    Map<AdvisoryIndex.Key, List<Component>> byKey = new LinkedHashMap<>();
    for (Component component : sbom.components()) {
      component
          .packageRef()
          .ifPresent(ref ->
              byKey
                  .computeIfAbsent(
                      new AdvisoryIndex.Key(ref.ecosystem(), ref.name()), k -> new ArrayList<>())
                  .add(component));
    }
    // readers iterate these lists without locks: publish immutable copies only
    byKey.forEach((key, components) ->
        byPackage
            .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
            .put(sbomId, List.copyOf(components)));
  }

  public synchronized void remove(String sbomId) {
    Sbom old = sboms.remove(sbomId);
    if (old == null) {
      return;
    }
    for (Component component : old.components()) {
      component
          .packageRef()
          .ifPresent(ref ->
              byPackage.computeIfPresent(
                  new AdvisoryIndex.Key(ref.ecosystem(), ref.name()),
                  (k, bySbom) -> {
                    bySbom.remove(sbomId);
                    return bySbom.isEmpty() ? null : bySbom;
                  }));
    }
  }

  public int size() {
    return sboms.size();
  }

  /**
   * The findings of this one advisory, per SBOM id (sorted by id), for every SBOM it affects. A
   * withdrawn advisory affects nothing.
   */
  public Map<String, List<Finding>> affectedBy(Advisory advisory, CommitGraph graph) {
    Map<String, Map<Scanner.FindingKey, Finding>> found = new TreeMap<>();
    if (advisory.withdrawn()) {
      return Map.of();
    }
    AdvisoryIndex single = new AdvisoryIndex();
    single.add(advisory);
    for (AdvisoryIndex.Key key : AdvisoryIndex.keysOf(advisory)) {
      Map<String, List<Component>> bySbom = byPackage.getOrDefault(key, Map.of());
      List<AdvisoryIndex.Entry> entries =
          single.entriesFor(new PackageRef(key.ecosystem(), key.name(), null, null));
      for (var sbom : bySbom.entrySet()) {
        for (Component component : sbom.getValue()) {
          for (Finding finding : Scanner.match(component, entries, graph)) {
            found
                .computeIfAbsent(sbom.getKey(), id -> new LinkedHashMap<>())
                .putIfAbsent(Scanner.key(finding), finding);
          }
        }
      }
    }
    Map<String, List<Finding>> out = new TreeMap<>();
    found.forEach((id, findings) -> out.put(id, List.copyOf(findings.values())));
    return out;
  }
}
