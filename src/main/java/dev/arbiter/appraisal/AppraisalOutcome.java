// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.evidence.Claims;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.SignedEar;
import java.util.Objects;
import java.util.Optional;

/** What an appraisal ends in: an EAR (affirming or warning), or a refusal with its problems. */
public sealed interface AppraisalOutcome {

  /**
   * A signed EAR.
   *
   * @param ear the token with its {@code jti} and {@code exp}
   * @param status {@link EarStatus#AFFIRMING} or {@link EarStatus#WARNING}
   * @param version the matched version
   * @param policyRevision the hash of the policy revision used
   * @param claims the CPU evidence's claims
   */
  record Issued(
      SignedEar ear, EarStatus status, String version, String policyRevision, Claims claims)
      implements AppraisalOutcome {
    public Issued {
      Objects.requireNonNull(ear, "ear");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(policyRevision, "policyRevision");
      Objects.requireNonNull(claims, "claims");
      if (status != EarStatus.AFFIRMING && status != EarStatus.WARNING) {
        throw new IllegalArgumentException("an issued EAR is affirming or warning, not " + status);
      }
    }
  }

  /**
   * A refusal.
   *
   * @param problem the problems, first an {@link AppraisalProblem}
   * @param version the version the refusal is attributed to (claims matched it before the failing
   *     step)
   * @param evidenceVerified true when the nonce was accepted and the evidence verified before the
   *     refusal
   */
  record Refused(ProblemException problem, Optional<String> version, boolean evidenceVerified)
      implements AppraisalOutcome {
    public Refused {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(version, "version");
    }
  }
}
