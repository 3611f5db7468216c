// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.problem.Problem;
import java.util.List;

/**
 * The hardware half of Azure CVM evidence: verifies the report in the HCL report's slot with the
 * existing SEV-SNP or TDX scheme and says which report data the hardware signed.
 */
sealed interface Hardware permits SnpHardware, TdxHardware {
  /** The IGVM report type this hardware expects in the HCL report. */
  HclReport.ReportType reportType();

  /** Every claim name the hardware scheme may produce (top-level in Azure claims). */
  List<String> claimNames();

  /** The hardware scheme's byte claims and their lengths (see {@code SchemeDescriptor}). */
  java.util.Map<String, java.util.Set<Integer>> byteClaims();

  Result verify(HclReport hcl, AzureEvidence evidence, VerificationContext context);

  /**
   * @param claims the hardware scheme's claims (possibly partial)
   * @param reportData the 64-byte report data the runtime-data hash must fill (the signed one when
   *     the hardware report parsed)
   */
  record Result(Claims claims, List<Problem> problems, byte[] reportData) {
    public Result {
      problems = List.copyOf(problems);
      reportData = reportData.clone();
    }
  }
}
