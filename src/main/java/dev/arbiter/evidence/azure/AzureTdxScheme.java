// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.tdx.TdxScheme;
import java.util.Objects;

/**
 * Azure TDX confidential VMs ({@code azure-tdx-vtpm}): an HCL report holding a TDREPORT, the TD
 * quote obtained for that TDREPORT, the runtime data the report binds, and a vTPM quote by the
 * attestation key in that runtime data.
 *
 * <p><b>Security guarantee.</b> A valid result means: the TD quote verifies as {@link TdxScheme}
 * guarantees (DCAP chain to the pinned Intel root at the context's time, QE and quote signatures,
 * collateral when given); every field the quote body shares with the HCL report's TDREPORT is equal
 * (so the quote is for this report); the quote's report data is the hash of the HCL runtime data
 * followed by zeros; the vTPM quote is signed by the runtime data's {@code HCLAkPub}, its pcrDigest
 * recomputes from the PCR values reported as claims, and, when a binding is expected, its extraData
 * equals it. Only generated fixtures test this scheme (no public Azure TDX vector). Pure and
 * thread-safe.
 */
public final class AzureTdxScheme extends AzureScheme {
  public static final String ID = "azure-tdx-vtpm";

  /** A scheme verifying the TD quote with {@code tdx} (tests inject one with a test Intel PKI). */
  public AzureTdxScheme(TdxScheme tdx) {
    super(
        ID,
        "application/vnd.microsoft.azure.tdx-vtpm+json",
        "Azure TDX CVM: HCL report (TDREPORT + runtime data), TD quote and vTPM quote by HCLAkPub",
        new TdxHardware(Objects.requireNonNull(tdx, "tdx")));
  }

  /** Production: the pinned Intel SGX Root CA. */
  public static AzureTdxScheme withPinnedRoots() {
    return new AzureTdxScheme(TdxScheme.withPinnedRoots());
  }
}
