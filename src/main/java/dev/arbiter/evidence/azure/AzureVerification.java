// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tpm.TpmScheme;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One verification of Azure CVM evidence, every check run and every failure listed: containers and
 * HCL report; the hardware report (SNP or TDX scheme); the runtime-data binding (hash of the
 * runtime JSON = report data, rest zero); the runtime JSON; the vTPM quote under HCLAkPub with PCRs
 * and extraData.
 */
final class AzureVerification {
  private AzureVerification() {}

  static VerificationResult run(
      String id,
      Hardware hardware,
      TpmScheme tpm,
      EvidenceInput input,
      ExpectedBinding binding,
      VerificationContext context) {
    AzureEvidence evidence;
    HclReport hcl;
    try {
      evidence = AzureEvidence.decode(input);
      hcl = HclReport.parse(evidence.hclReport());
    } catch (ProblemException e) {
      return new VerificationResult(id, Claims.empty(), e.problems());
    }
    if (hcl.reportType() != hardware.reportType()) {
      return VerificationResult.failed(
          id,
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "the HCL report carries a "
                  + hcl.reportType().claim
                  + " report; use --format azure-"
                  + hcl.reportType().claim
                  + "-vtpm"));
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, Object> claims = new LinkedHashMap<>();
    Hardware.Result hw = hardware.verify(hcl, evidence, context);
    problems.addAll(hw.problems());
    claims.putAll(hw.claims().values());

    byte[] runtimeHash = Digests.digest(hcl.hashType().jcaName, hcl.runtimeData());
    if (!((ExpectedBinding.Value) ExpectedBinding.exactly(runtimeHash)).matches(hw.reportData())) {
      problems.add(
          Problem.of(
              EvidenceProblem.KEY_BINDING_INVALID,
              "the hardware report's report_data is not the "
                  + hcl.hashType().jcaName
                  + " of the HCL runtime data followed by zero bytes: HCLAkPub is not bound"));
    }
    RuntimeData runtime = null;
    try {
      runtime = RuntimeData.parse(hcl.runtimeData());
    } catch (ProblemException e) {
      problems.addAll(e.problems());
    }
    if (evidence.quote().isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED,
              "no vTPM quote: give it as tpm_quote in the evidence JSON or with --signature"));
    } else if (runtime != null) {
      VerificationResult quote =
          VtpmCheck.verify(
              tpm, evidence.quote().get(), runtime, input.pcrs(), binding, context, problems);
      AzureClaims.tpm(quote.claims(), claims);
    }
    if (runtime != null) {
      AzureClaims.runtime(runtime, claims);
    }
    AzureClaims.hcl(hcl, runtimeHash, claims);
    return new VerificationResult(id, new Claims(claims), problems);
  }
}
