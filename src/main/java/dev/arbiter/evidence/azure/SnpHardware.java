// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.sevsnp.SevSnpScheme;
import dev.arbiter.problem.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SEV-SNP report in the HCL slot, verified by {@link SevSnpScheme} (VCEK/VLEK chain to the
 * pinned AMD roots, signature, TCB and chip id against the certificate, CRLs). Its report data is
 * checked against the runtime data by the caller, not here (no binding is passed down).
 */
record SnpHardware(SevSnpScheme scheme) implements Hardware {
  private static final int REPORT_DATA_OFFSET = 0x50;

  @Override
  public HclReport.ReportType reportType() {
    return HclReport.ReportType.SNP;
  }

  @Override
  public List<String> claimNames() {
    return scheme.descriptor().claimNames();
  }

  @Override
  public java.util.Map<String, java.util.Set<Integer>> byteClaims() {
    return scheme.descriptor().byteClaims();
  }

  @Override
  public Result verify(HclReport hcl, AzureEvidence evidence, VerificationContext context) {
    byte[] report = hcl.hardwareReport();
    List<Problem> problems = new ArrayList<>();
    if (evidence.tdQuote().isPresent()) {
      problems.add(
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED, "a TD quote is not part of SEV-SNP evidence"));
    }
    EvidenceInput input =
        EvidenceInput.of(report)
            .withCertificates(evidence.certificates())
            .withCollateral(evidence.collateral());
    VerificationResult result = scheme.verify(input, ExpectedBinding.none(), context);
    for (Problem problem : result.problems()) {
      problems.add(Problem.of(problem.type(), "SNP report: " + problem.detail()));
    }
    return new Result(
        result.claims(),
        problems,
        Arrays.copyOfRange(report, REPORT_DATA_OFFSET, REPORT_DATA_OFFSET + 64));
  }
}
