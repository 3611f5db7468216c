// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The result of TCB evaluation.
 *
 * @param status the {@code tcb_status} claim: a {@link TcbStatus} spelling, or {@code unknown} when
 *     no applicable TCB Info was supplied or no level applies
 * @param advisoryIds Intel security advisories of the matched platform, TDX module and QE levels
 * @param problems collateral problems found
 * @param signingPaths verified TCB signing paths (for revocation checking)
 */
record TcbEvaluation(
    String status,
    List<String> advisoryIds,
    List<Problem> problems,
    List<List<X509Certificate>> signingPaths) {
  static final String UNKNOWN = "unknown";

  TcbEvaluation {
    advisoryIds = List.copyOf(advisoryIds);
    problems = List.copyOf(problems);
    signingPaths = List.copyOf(signingPaths);
  }
}
