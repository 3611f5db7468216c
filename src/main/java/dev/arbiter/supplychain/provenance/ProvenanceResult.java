// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.problem.Problem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.Subject;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of verifying one piece of provenance. Fields other than {@code problems} are filled
 * from the signed payload only after its signature verified; before that they are null or empty.
 *
 * @param valid true when there are no problems
 * @param predicateType the Statement's predicate type (null for message signatures or when not
 *     reached)
 * @param builderId the predicate's builder id (null when the predicate has none)
 * @param subjects the Statement's subjects (for a message-signature bundle: the signed digest)
 * @param signer who signed (null when no signature verified)
 * @param predicate the predicate as a JSON tree, for CEL policies (null when not reached)
 * @param integratedTime the SET-verified transparency-log time (null when none)
 * @param verifiedAt the time certificates were checked at (null when not applicable)
 * @param problems every problem found
 * @param items one result per signed item of the file, in file order, each with its own verdict and
 *     no items of its own; the top-level fields describe the primary item (see {@link
 *     ProvenanceVerifier#verify})
 */
public record ProvenanceResult(
    boolean valid,
    String predicateType,
    String builderId,
    List<Subject> subjects,
    Signer signer,
    JsonNode predicate,
    Instant integratedTime,
    Instant verifiedAt,
    List<Problem> problems,
    List<ProvenanceResult> items) {

  public ProvenanceResult {
    subjects = List.copyOf(subjects);
    problems = List.copyOf(problems);
    items = List.copyOf(items);
    if (valid != problems.isEmpty()) {
      throw new IllegalArgumentException("valid iff no problems");
    }
  }

  /** {@code "valid"} or {@code "invalid"}. */
  public String verdict() {
    return valid ? "valid" : "invalid";
  }

  static ProvenanceResult failed(List<Problem> problems) {
    return new ProvenanceResult(
        false, null, null, List.of(), null, null, null, null, problems, List.of());
  }

  /** This result with {@code items} as its per-item results. */
  ProvenanceResult withItems(List<ProvenanceResult> value) {
    return new ProvenanceResult(
        valid,
        predicateType,
        builderId,
        subjects,
        signer,
        predicate,
        integratedTime,
        verifiedAt,
        problems,
        value);
  }
}
