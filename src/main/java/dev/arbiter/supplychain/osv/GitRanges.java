// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

/** Evaluates an OSV {@code GIT} range for one commit against a {@link CommitGraph}. */
final class GitRanges {
  private GitRanges() {}

  static boolean contains(AffectedRange range, String commit, CommitGraph graph) {
    boolean introduced = false;
    boolean limited = false;
    boolean belowLimit = false;
    for (RangeEvent event : range.events()) {
      String at = event.value();
      switch (event.kind()) {
        case INTRODUCED -> {
          if (at.equals("0") ? graph.knowsHistory() : graph.isAncestorOrSelf(at, commit)) {
            introduced = true;
          }
        }
        case LAST_AFFECTED -> {
          if (at.equalsIgnoreCase(commit)) {
            introduced = true;
          }
        }
        case FIXED, LIMIT -> {}
      }
    }
    if (!introduced) {
      return false;
    }
    for (RangeEvent event : range.events()) {
      String at = event.value();
      switch (event.kind()) {
        case FIXED -> {
          if (graph.isAncestorOrSelf(at, commit)) {
            return false;
          }
        }
        case LAST_AFFECTED -> {
          if (!at.equalsIgnoreCase(commit) && graph.isAncestorOrSelf(at, commit)) {
            return false;
          }
        }
        case LIMIT -> {
          if (!at.contains("*")) {
            limited = true;
            if (at.equalsIgnoreCase(commit)) {
              return false;
            }
            if (!at.equalsIgnoreCase(commit) && graph.isAncestorOrSelf(commit, at)) {
              belowLimit = true;
            }
          }
        }
        case INTRODUCED -> {}
      }
    }
    return !limited || !graph.knowsHistory() || belowLimit;
  }
}
