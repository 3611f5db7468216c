// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.sevsnp.SevSnpScheme;
import java.util.Objects;

/**
 * Azure SEV-SNP confidential VMs ({@code azure-snp-vtpm}): an HCL report holding an SNP report, the
 * runtime data it binds, and a vTPM quote by the attestation key in that runtime data.
 *
 * <p><b>Security guarantee.</b> A valid result means: the SNP report verifies as {@link
 * SevSnpScheme} guarantees (VCEK/VLEK chain to a pinned AMD root at the context's time, signature,
 * TCB and chip id); its report data is the hash (per the HCL hash type) of the HCL runtime data
 * followed by zeros, so the paravisor that the measurement covers vouched for that runtime data;
 * the vTPM quote is signed by the runtime data's {@code HCLAkPub}, its pcrDigest recomputes from
 * the PCR values reported as claims, and, when a binding is expected, its extraData equals it.
 * Measurement, PCR and TCB values are appraised by policy, not here. Pure and thread-safe.
 */
public final class AzureSnpScheme extends AzureScheme {
  public static final String ID = "azure-snp-vtpm";

  /** A scheme verifying the SNP report with {@code snp} (tests inject one with a test AMD PKI). */
  public AzureSnpScheme(SevSnpScheme snp) {
    super(
        ID,
        "application/vnd.microsoft.azure.snp-vtpm+json",
        "Azure SEV-SNP CVM: HCL report (SNP report + runtime data) and vTPM quote by HCLAkPub",
        new SnpHardware(Objects.requireNonNull(snp, "snp")));
  }

  /** Production: AMD's pinned roots. */
  public static AzureSnpScheme withPinnedRoots() {
    return new AzureSnpScheme(SevSnpScheme.withPinnedRoots());
  }
}
