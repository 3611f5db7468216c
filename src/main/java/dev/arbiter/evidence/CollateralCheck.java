// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import dev.arbiter.problem.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking one collateral file for import: whether this scheme recognizes it, its
 * kind and key (e.g. {@code tcb-info} / the FMSPC, {@code crl} / the issuer), when it must be
 * refreshed, and every problem (signature, chain, dates). Only recognized files without problems
 * are stored.
 */
public record CollateralCheck(
    boolean recognized,
    String kind,
    String key,
    Optional<Instant> nextUpdate,
    List<Problem> problems) {
  public CollateralCheck {
    problems = List.copyOf(problems);
  }

  public static CollateralCheck notRecognized() {
    return new CollateralCheck(false, "", "", Optional.empty(), List.of());
  }

  public boolean valid() {
    return recognized && problems.isEmpty();
  }
}
