// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.sbom.Component;
import dev.arbiter.supplychain.sbom.PackageRef;
import dev.arbiter.supplychain.sbom.Purls;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * OSV's {@code IsVulnerable} for one component against its package's index entries: affected when
 * the version is in an entry's {@code versions} list or inside one of its ranges. Component
 * versions are parsed at most once per ordering. Single-threaded (one instance per component).
 */
final class ComponentMatcher {
  private final Component component;
  private final PackageRef ref;
  private final String version;
  private final String osvVersion;
  private final CommitGraph graph;
  private VersionOrdering parsedWith;
  private Optional<OrderedVersion> parsed;
  private VersionOrdering parsedWith2;
  private Optional<OrderedVersion> parsed2;
  private boolean unorderable;

  ComponentMatcher(Component component, PackageRef ref, CommitGraph graph) {
    this.component = component;
    this.ref = ref;
    this.version = ref.version() != null ? ref.version() : component.version();
    this.osvVersion = version == null ? null : Ecosystems.osvVersion(ref.ecosystem(), version);
    this.graph = graph;
  }

  /** Emits a finding for every entry that affects the component (callers de-duplicate by id). */
  void match(List<AdvisoryIndex.Entry> entries, Consumer<Finding> out) {
    for (AdvisoryIndex.Entry entry : entries) {
      if (affects(entry)) {
        Advisory advisory = entry.advisory();
        Severity severity =
            entry.affected().severity() != null ? entry.affected().severity() : advisory.severity();
        out.accept(
            new Finding(component.purl(), version, advisory.id(), advisory.aliases(), severity));
      }
    }
  }

  /** A note when some range could not be evaluated because the version does not parse. */
  Optional<Problem> note() {
    if (!unorderable) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.of(
            AdvisoryProblem.COMPONENT_VERSION_INVALID,
            "%s: version %s is not valid for %s; its ranges were not evaluated",
            component.purl(),
            version == null ? "(none)" : version,
            ref.ecosystem()));
  }

  private boolean affects(AdvisoryIndex.Entry entry) {
    Affected affected = entry.affected();
    if (entry.gitOnly() || ref.ecosystem().equals(PackageRef.GIT)) {
      if (ref.commit() == null) {
        return false;
      }
      for (AffectedRange range : affected.ranges()) {
        if (range.isGit()
            && Purls.repositoryName(range.repo()).equals(ref.name())
            && GitRanges.contains(range, ref.commit(), graph)) {
          return true;
        }
      }
      return false;
    }
    if (version == null) {
      unorderable |= !affected.ranges().isEmpty();
      return false;
    }
    if (!affected.versions().isEmpty()
        && (affected.versions().contains(version) || affected.versions().contains(osvVersion))) {
      return true;
    }
    for (AffectedRange range : affected.ranges()) {
      if (range.isGit()) {
        continue; // needs a commit; package components carry versions
      }
      Optional<OrderedVersion> v = parse(range.ordering());
      if (v.isEmpty()) {
        unorderable = true;
      } else if (range.contains(v.get())) {
        return true;
      }
    }
    return false;
  }

  private Optional<OrderedVersion> parse(VersionOrdering ordering) {
    if (ordering == parsedWith) {
      return parsed;
    }
    if (ordering == parsedWith2) {
      return parsed2;
    }
    Optional<OrderedVersion> result =
        ordering.parse(ordering == SemVer.STRICT ? osvVersion : version);
    if (parsedWith == null) {
      parsedWith = ordering;
      parsed = result;
    } else {
      parsedWith2 = ordering;
      parsed2 = result;
    }
    return result;
  }
}
