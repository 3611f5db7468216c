// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.evidence.tpm.TpmScheme;
import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Objects;

/**
 * Azure TDX confidential VMs ({@code azure-tdx-vtpm}): an HCL report holding a TDREPORT, the TD
 * quote obtained for that TDREPORT, the runtime data the report binds, and a vTPM quote by the
 * attestation key in that runtime data.
 *
 * <p><b>Security guarantee.</b> A valid result means: the TD quote verifies as {@link TdxScheme}
 * guarantees (DCAP chain to the pinned Intel root at the context's time, QE and quote signatures,
 * collateral when given); every field the quote body shares with the HCL report's TDREPORT is
 * equal (so the quote is for this report); the quote's report data is the hash of the HCL runtime
 * data followed by zeros; the vTPM quote is signed by the runtime data's {@code HCLAkPub}, its
 * pcrDigest recomputes from the PCR values reported as claims, and, when a binding is expected,
 * its extraData equals it. Only generated fixtures test this scheme (no public Azure TDX vector).
 * Pure and thread-safe.
 */
public final class AzureTdxScheme implements EvidenceScheme {
  public static final String ID = "azure-tdx-vtpm";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AzureTdxScheme.class);

  private final TdxHardware hardware;
  private final TpmScheme tpm = TpmScheme.withoutCas();
  private final SchemeDescriptor descriptor;

  /** A scheme verifying the TD quote with {@code tdx} (tests inject one with a test Intel PKI). */
  public AzureTdxScheme(TdxScheme tdx) {
    this.hardware = new TdxHardware(Objects.requireNonNull(tdx, "tdx"));
    this.descriptor = new SchemeDescriptor(ID, "1.0", List.of("application/vnd.microsoft.azure.tdx-vtpm+json"),
        AzureClaims.names(hardware.claimNames(), tpm.descriptor().claimNames()),
        "Azure TDX CVM: HCL report (TDREPORT + runtime data), TD quote and vTPM quote by HCLAkPub");
  }

  /** Production: the pinned Intel SGX Root CA. */
  public static AzureTdxScheme withPinnedRoots() {
    return new AzureTdxScheme(TdxScheme.withPinnedRoots());
  }

  @Override
  public SchemeDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public VerificationResult verify(EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(context, "context");
    try {
      return AzureVerification.run(ID, hardware, tpm, input, binding, context);
    } catch (RuntimeException e) {
      LOG.warn("Azure TDX verification failed unexpectedly", e);
      return VerificationResult.failed(ID, Problem.of(EvidenceProblem.EVIDENCE_MALFORMED,
          "evidence could not be processed: " + e.getClass().getSimpleName()));
    }
  }
}
