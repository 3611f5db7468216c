// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

/**
 * Commit ancestry for OSV {@code GIT} ranges. Arbiter works offline and has no repositories, so the
 * default {@link #EXACT} knows no history: a commit is affected only when it is itself an {@code
 * introduced} or {@code last_affected} commit of a range (and is not a {@code fixed} one). A caller
 * with a repository can supply real ancestry for the full OSV semantics (affected = reachable from
 * an introduced commit, not from a fixed one, not strictly after a last_affected one, and strictly
 * before a limit when limits are given).
 */
public interface CommitGraph {
  /** True when {@code ancestor} is {@code commit} or one of its ancestors. */
  boolean isAncestorOrSelf(String ancestor, String commit);

  /** False for {@link #EXACT}: then {@code introduced: "0"} and {@code limit} cannot be decided. */
  boolean knowsHistory();

  /** No history: commits are compared by equality only (hex case-insensitive). */
  CommitGraph EXACT =
      new CommitGraph() {
        @Override
        public boolean isAncestorOrSelf(String ancestor, String commit) {
          return ancestor.equalsIgnoreCase(commit);
        }

        @Override
        public boolean knowsHistory() {
          return false;
        }
      };
}
