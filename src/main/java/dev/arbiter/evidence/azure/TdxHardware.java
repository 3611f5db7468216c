// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TDX half: the HCL slot holds a TDREPORT (CPU-MACed, not verifiable off the machine), so the
 * TD quote obtained for it (Azure IMDS {@code /acc/tdquote}) must come with the evidence. The quote
 * is verified by {@link TdxScheme} (DCAP to the pinned Intel root); then every field the quote body
 * repeats must equal the TDREPORT's: report data ({@code key-binding-invalid}) and measurements,
 * attributes and TCB SVN ({@code measurement-mismatch}). The runtime-data hash is then checked
 * against the quote's (signed) report data.
 */
record TdxHardware(TdxScheme scheme) implements Hardware {
  @Override
  public HclReport.ReportType reportType() {
    return HclReport.ReportType.TDX;
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
    List<Problem> problems = new ArrayList<>();
    TdReportFields td;
    try {
      td = TdReportFields.parse(hcl.hardwareReport());
    } catch (ProblemException e) {
      return new Result(Claims.empty(), e.problems(), new byte[64]);
    }
    if (evidence.tdQuote().isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED,
              "no TD quote: give it as td_quote in the evidence JSON or as a --collateral file"));
      return new Result(Claims.empty(), problems, td.reportData());
    }
    EvidenceInput input =
        EvidenceInput.of(evidence.tdQuote().get())
            .withCertificates(evidence.certificates())
            .withCollateral(evidence.collateral());
    VerificationResult result = scheme.verify(input, ExpectedBinding.none(), context);
    for (Problem problem : result.problems()) {
      problems.add(Problem.of(problem.type(), "TD quote: " + problem.detail()));
    }
    Optional<String> quoteReportData = result.claims().get("report_data").map(Object::toString);
    if (quoteReportData.isEmpty()) {
      return new Result(result.claims(), problems, td.reportData());
    }
    if (!quoteReportData.get().equals(Hex.encode(td.reportData()))) {
      problems.add(
          Problem.of(
              EvidenceProblem.KEY_BINDING_INVALID,
              "the TD quote's report_data differs from the HCL report's TDREPORT: the quote is not"
                  + " for this report"));
    }
    List<String> differ = new ArrayList<>();
    for (Map.Entry<String, byte[]> field : td.quoteFields().entrySet()) {
      Optional<Object> quoted = result.claims().get(field.getKey());
      if (quoted.isPresent() && !quoted.get().equals(Hex.encode(field.getValue()))) {
        differ.add(field.getKey());
      }
    }
    if (!differ.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.MEASUREMENT_MISMATCH,
              "the TD quote differs from the HCL report's TDREPORT in "
                  + String.join(", ", differ)));
    }
    return new Result(result.claims(), problems, Hex.decode(quoteReportData.get()));
  }
}
