// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Optional;

/**
 * What {@link DcapVerifier} established about a quote: the decoded quote (absent when it could not
 * be decoded), the PCK certificate's SGX extension (absent without a usable PCK certificate), the
 * TCB status and advisories, whether revocation was checked, and every failed check.
 *
 * @param revocation {@code checked} when a current CRL covered every certificate of the PCK chain
 *     and of the TCB signing chains used, otherwise {@code unchecked}
 * @param pckIssuer {@code platform} or {@code processor} (which Intel PCK CA issued the PCK), or
 *     empty
 */
public record DcapVerification(
    Optional<Quote> quote,
    Optional<PckExtensions> pck,
    String tcbStatus,
    List<String> advisoryIds,
    String revocation,
    Optional<String> pckIssuer,
    List<Problem> problems) {
  public DcapVerification {
    advisoryIds = List.copyOf(advisoryIds);
    problems = List.copyOf(problems);
  }

  static DcapVerification failed(Problem problem) {
    return new DcapVerification(
        Optional.empty(),
        Optional.empty(),
        TcbEvaluation.UNKNOWN,
        List.of(),
        "unchecked",
        Optional.empty(),
        List.of(problem));
  }
}
