// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.supplychain.sbom.PackageRef;
import dev.arbiter.supplychain.sbom.Purls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advisories in memory, keyed by (ecosystem, normalised package name) and, for {@code GIT} ranges,
 * by repository ({@code GIT}, {@code host/owner/repo}), so that matching a component costs one hash
 * lookup plus the evaluation of that package's entries.
 *
 * <p>{@link #add} is an upsert by OSV id: a record replaces an earlier one with the same id unless
 * it is older ({@code modified}); a withdrawn record removes it. Thread-safe: writers are
 * serialised, readers never block and see either the old or the new entry list of a package.
 */
public final class AdvisoryIndex {
  /** An index key. */
  public record Key(String ecosystem, String name) {}

  /**
   * One affected entry of one advisory; {@code gitOnly} when it was reached through a repository
   * key.
   */
  public record Entry(Advisory advisory, Affected affected, boolean gitOnly) {}

  private final Map<Key, List<Entry>> byKey = new ConcurrentHashMap<>();
  private final Map<String, Advisory> byId = new ConcurrentHashMap<>();

  /**
   * Adds, replaces or (when withdrawn) removes a record.
   *
   * @return the record it replaced or removed, if any
   */
  public synchronized Optional<Advisory> add(Advisory advisory) {
    Advisory previous = byId.get(advisory.id());
    if (previous != null && advisory.modified().isBefore(previous.modified())) {
      return Optional.empty(); // stale copy: keep the newer record
    }
    if (previous != null) {
      for (Key key : keys(previous)) {
        byKey.computeIfPresent(
            key,
            (k, entries) -> {
              List<Entry> kept =
                  entries.stream().filter(e -> !e.advisory().id().equals(previous.id())).toList();
              return kept.isEmpty() ? null : kept;
            });
      }
      byId.remove(previous.id());
    }
    if (!advisory.withdrawn()) {
      byId.put(advisory.id(), advisory);
      for (Affected affected : advisory.affected()) {
        if (!affected.ecosystem().equals(PackageRef.GIT)) {
          append(
              new Key(affected.ecosystem(), affected.name()), new Entry(advisory, affected, false));
        }
        Set<String> repos = new LinkedHashSet<>();
        for (AffectedRange range : affected.ranges()) {
          if (range.isGit()) {
            repos.add(Purls.repositoryName(range.repo()));
          }
        }
        for (String repo : repos) {
          append(new Key(PackageRef.GIT, repo), new Entry(advisory, affected, true));
        }
      }
    }
    return Optional.ofNullable(previous);
  }

  public void addAll(Collection<Advisory> advisories) {
    advisories.forEach(this::add);
  }

  private void append(Key key, Entry entry) {
    byKey.merge(
        key,
        List.of(entry),
        (old, one) -> {
          List<Entry> joined = new ArrayList<>(old.size() + 1);
          joined.addAll(old);
          joined.addAll(one);
          return List.copyOf(joined);
        });
  }

  private static Set<Key> keys(Advisory advisory) {
    Set<Key> keys = new LinkedHashSet<>();
    for (Affected affected : advisory.affected()) {
      keys.add(new Key(affected.ecosystem(), affected.name()));
      for (AffectedRange range : affected.ranges()) {
        if (range.isGit()) {
          keys.add(new Key(PackageRef.GIT, Purls.repositoryName(range.repo())));
        }
      }
    }
    return keys;
  }

  /** The entries that may affect a package (empty list when none). */
  public List<Entry> entriesFor(PackageRef ref) {
    return byKey.getOrDefault(new Key(ref.ecosystem(), ref.name()), List.of());
  }

  public Optional<Advisory> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Number of (non-withdrawn) advisories. */
  public int size() {
    return byId.size();
  }

  /** The keys an advisory is indexed under (for incremental re-scans). */
  static Set<Key> keysOf(Advisory advisory) {
    return keys(advisory);
  }
}
