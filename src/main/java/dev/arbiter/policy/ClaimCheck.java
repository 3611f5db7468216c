// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.problem.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the claim names an appraisal policy reads against the claim names of the schemes it can
 * meet, from their {@link SchemeDescriptor}s: the schemes of the workload's versions (the keys of
 * their reference values) and the scheme ids the policy names as string literals; CPU claims
 * against CPU schemes, device claims against device schemes. When neither names a scheme of a kind
 * (a workload without versions), every enabled scheme of that kind counts, so a name no scheme
 * produces is still refused. A path is known when a scheme lists it, lists a claim below it ({@code
 * reported_tcb} for {@code reported_tcb.snp}) or lists a claim above it. Descriptors carry no claim
 * types beyond which claims are byte strings, so type mismatches are not checked. Pure.
 */
final class ClaimCheck {
  private ClaimCheck() {}

  /**
   * One {@link PolicyProblem#APPRAISAL_UNKNOWN_CLAIM} per unknown name, with the nearest known name
   * as a suggestion; empty when every name is known.
   */
  static List<Problem> unknown(
      ClaimReferences references, Collection<Version> versions, SchemeRegistry registry) {
    Set<String> named = new LinkedHashSet<>();
    for (Version version : versions) {
      named.addAll(version.referenceValues().schemes());
    }
    references.literals().stream().filter(registry::contains).forEach(named::add);
    List<Problem> problems = new ArrayList<>();
    check(references.cpu(), "claims.", SchemeDescriptor.Kind.CPU, named, registry, problems::add);
    check(
        references.device(),
        "devices[].claims.",
        SchemeDescriptor.Kind.DEVICE,
        named,
        registry,
        problems::add);
    return problems;
  }

  private static void check(
      Set<String> paths,
      String prefix,
      SchemeDescriptor.Kind kind,
      Set<String> named,
      SchemeRegistry registry,
      java.util.function.Consumer<Problem> out) {
    if (paths.isEmpty()) {
      return;
    }
    List<SchemeDescriptor> schemes =
        named.stream()
            .map(registry::descriptor)
            .flatMap(java.util.Optional::stream)
            .filter(d -> d.kind() == kind)
            .toList();
    String against;
    if (schemes.isEmpty()) {
      schemes =
          registry.all().stream().map(s -> s.descriptor()).filter(d -> d.kind() == kind).toList();
      against = "any enabled " + (kind == SchemeDescriptor.Kind.CPU ? "CPU" : "device") + " scheme";
    } else {
      against = String.join(", ", schemes.stream().map(SchemeDescriptor::id).toList());
    }
    Set<String> known = new LinkedHashSet<>();
    schemes.forEach(d -> known.addAll(d.claimNames()));
    for (String path : paths.stream().sorted().toList()) {
      if (known(path, known)) {
        continue;
      }
      String detail = prefix + path + " is not a claim of " + against;
      String nearest = nearest(path, known);
      out.accept(
          Problem.of(
              PolicyProblem.APPRAISAL_UNKNOWN_CLAIM,
              nearest == null ? detail : detail + "; did you mean " + prefix + nearest + "?"));
    }
  }

  static boolean known(String path, Set<String> names) {
    if (names.contains(path)) {
      return true;
    }
    for (String name : names) {
      if (name.startsWith(path + ".") || path.startsWith(name + ".")) {
        return true;
      }
    }
    return false;
  }

  /** The known name closest to {@code path} by edit distance (first in order on a tie). */
  static String nearest(String path, Set<String> names) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : names) {
      int distance = distance(path, name);
      if (distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
