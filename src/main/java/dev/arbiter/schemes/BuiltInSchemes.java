// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.schemes;

import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.SchemeRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The explicit list of evidence schemes compiled into Arbiter, each with its pinned production
 * trust anchors. Add a scheme here with one line.
 */
public final class BuiltInSchemes {
  private BuiltInSchemes() {}

  public static SchemeRegistry registry() {
    List<EvidenceScheme> schemes = new ArrayList<>();
    schemes.add(new dev.arbiter.evidence.sample.SampleScheme());
    schemes.add(dev.arbiter.evidence.tpm.TpmScheme.withoutCas());
    schemes.add(dev.arbiter.evidence.nvidia.NvidiaGpuScheme.withPinnedRoots());
    schemes.add(dev.arbiter.evidence.nitro.NitroScheme.withPinnedRoot());
    schemes.add(dev.arbiter.evidence.cca.CcaScheme.withSuppliedKeys());
    schemes.add(dev.arbiter.evidence.psa.PsaScheme.withSuppliedKeys());
    schemes.add(dev.arbiter.evidence.sevsnp.SevSnpScheme.withPinnedRoots());
    schemes.add(dev.arbiter.evidence.tdx.TdxScheme.withPinnedRoots());
    schemes.add(dev.arbiter.evidence.sgx.SgxScheme.withPinnedRoots());
    schemes.add(dev.arbiter.evidence.azure.AzureSnpScheme.withPinnedRoots());
    schemes.add(dev.arbiter.evidence.azure.AzureTdxScheme.withPinnedRoots());
    return SchemeRegistry.of(schemes);
  }
}
