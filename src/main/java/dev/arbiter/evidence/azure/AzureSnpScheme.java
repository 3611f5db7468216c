// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.sevsnp.SevSnpScheme;
import dev.arbiter.evidence.tpm.TpmScheme;
import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Objects;

/**
 * Azure SEV-SNP confidential VMs ({@code azure-snp-vtpm}): an HCL report holding an SNP report,
 * the runtime data it binds, and a vTPM quote by the attestation key in that runtime data.
 *
 * <p><b>Security guarantee.</b> A valid result means: the SNP report verifies as {@link
 * SevSnpScheme} guarantees (VCEK/VLEK chain to a pinned AMD root at the context's time, signature,
 * TCB and chip id); its report data is the hash (per the HCL hash type) of the HCL runtime data
 * followed by zeros, so the paravisor that the measurement covers vouched for that runtime data;
 * the vTPM quote is signed by the runtime data's {@code HCLAkPub}, its pcrDigest recomputes from
 * the PCR values reported as claims, and, when a binding is expected, its extraData equals it.
 * Measurement, PCR and TCB values are appraised by policy, not here. Pure and thread-safe.
 */
public final class AzureSnpScheme implements EvidenceScheme {
  public static final String ID = "azure-snp-vtpm";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AzureSnpScheme.class);

  private final SnpHardware hardware;
  private final TpmScheme tpm = TpmScheme.withoutCas();
  private final SchemeDescriptor descriptor;

  /** A scheme verifying the SNP report with {@code snp} (tests inject one with a test AMD PKI). */
  public AzureSnpScheme(SevSnpScheme snp) {
    this.hardware = new SnpHardware(Objects.requireNonNull(snp, "snp"));
    this.descriptor = new SchemeDescriptor(ID, "1.0", List.of("application/vnd.microsoft.azure.snp-vtpm+json"),
        AzureClaims.names(hardware.claimNames(), tpm.descriptor().claimNames()),
        "Azure SEV-SNP CVM: HCL report (SNP report + runtime data) and vTPM quote by HCLAkPub");
  }

  /** Production: AMD's pinned roots. */
  public static AzureSnpScheme withPinnedRoots() {
    return new AzureSnpScheme(SevSnpScheme.withPinnedRoots());
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
      LOG.warn("Azure SNP verification failed unexpectedly", e);
      return VerificationResult.failed(ID, Problem.of(EvidenceProblem.EVIDENCE_MALFORMED,
          "evidence could not be processed: " + e.getClass().getSimpleName()));
    }
  }
}
