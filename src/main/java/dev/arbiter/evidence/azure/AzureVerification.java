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
      if (evidence.form() == AzureEvidence.Form.TRUSTEE_V2) {
        userDataBinding(runtime, quote.claims(), claims, problems);
      }
    }
    if (runtime != null) {
      AzureClaims.runtime(runtime, claims);
    }
    AzureClaims.hcl(hcl, runtimeHash, claims);
    claims.put("evidence_form", evidence.form().claim);
    return new VerificationResult(id, new Claims(claims), problems);
  }

  /**
   * Version 2: the attester wrote the expected report data into the vTPM's user-data NV index
   * (0x01400002, 64 bytes) before reading the HCL report, and used it as the quote's extraData. So
   * the runtime data's {@code user-data} (hardware-bound by the runtime-data hash) must be the
   * extraData, zero-filled to the NV index's 64 bytes when shorter; the fill is counted ({@code
   * user_data_padding}). This binds the report data to the hardware report, not only to the vTPM.
   */
  private static void userDataBinding(
      RuntimeData runtime, Claims quote, Map<String, Object> claims, List<Problem> problems) {
    byte[] extraData = bytes(quote.values().get("extra_data"));
    if (extraData == null) {
      return; // the quote did not parse: already a problem
    }
    byte[] userData = runtime.userData().orElse(null);
    int padding = userData == null ? -1 : userData.length - extraData.length;
    boolean equal =
        userData != null
            && padding >= 0
            && (padding == 0 || userData.length == USER_DATA_SIZE)
            && Digests.constantTimeEquals(
                java.util.Arrays.copyOf(userData, extraData.length), extraData)
            && zero(userData, extraData.length);
    if (!equal) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH,
              "version 2 evidence: the HCL runtime data's user-data is not the vTPM quote's"
                  + " extraData (zero-filled to "
                  + USER_DATA_SIZE
                  + " bytes)"));
    } else if (padding > 0) {
      claims.put("user_data_padding", (long) padding);
    }
  }

  static final int USER_DATA_SIZE = 64;

  private static boolean zero(byte[] bytes, int from) {
    int acc = 0;
    for (int i = from; i < bytes.length; i++) {
      acc |= bytes[i];
    }
    return acc == 0;
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof String hex && dev.arbiter.internal.Hex.isHex(hex)) {
      return dev.arbiter.internal.Hex.decode(hex);
    }
    return null;
  }
}
