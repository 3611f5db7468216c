// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Verifies one GPU's report and builds its claims; one instance per device. Not thread-safe. */
final class GpuVerifier {
  private final X509Certificate deviceRoot;
  private final ChainVerifier chains;
  private final List<X509CRL> crls;
  private final VerificationContext context;

  GpuVerifier(
      X509Certificate deviceRoot,
      ChainVerifier chains,
      List<X509CRL> crls,
      VerificationContext context) {
    this.deviceRoot = deviceRoot;
    this.chains = chains;
    this.crls = crls;
    this.context = context;
  }

  Map<String, Object> verify(
      GpuEvidence.Device device,
      List<X509Certificate> suppliedChain,
      ExpectedBinding binding,
      Map<String, ReferenceManifest> rims,
      Set<String> usedRims,
      List<Problem> problems) {
    Map<String, Object> claims = new LinkedHashMap<>();
    device.uuid().ifPresent(uuid -> claims.put("uuid", uuid));
    List<X509Certificate> chain = suppliedChain;
    if (device.chain().isPresent()) {
      try {
        chain = Certificates.parse(device.chain().get());
      } catch (CertificateException e) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_MALFORMED,
                "device certificate chain: " + e.getMessage()));
        return claims;
      }
    }
    // The generation: as the evidence declares it, else as the chain's chip names it.
    List<X509Certificate> deviceChain = chain;
    GpuArchitecture architecture =
        device.architecture().or(() -> architectureOf(deviceChain)).orElse(GpuArchitecture.HOPPER);
    claims.put("architecture", architecture.name());
    SpdmReport report;
    try {
      report = SpdmReport.parse(device.report(), architecture);
    } catch (SpdmFormatException e) {
      problems.add(Problem.of(NvidiaGpuScheme.typeOf(e), "attestation report: " + e.getMessage()));
      return claims;
    }
    claims.put("nonce", report.nonce());
    claims.put("responder_nonce", report.responderNonce());
    claims.put("spdm_version", "1.1");
    claims.put("slot", (long) report.slot());
    if (report.trailingBytes() > 0) {
      claims.put("trailing_bytes", (long) report.trailingBytes());
    }
    Map<String, Object> measurements = new LinkedHashMap<>();
    for (MeasurementBlock block : report.blocks()) {
      measurements.put(Integer.toString(block.index()), Hex.encode(block.value()));
    }
    claims.put("measurements", measurements);
    claims.putAll(report.opaque().claims());
    if (chain.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MISSING,
              "no device certificate chain: supply it with --cert or in the evidence JSON"));
    } else {
      DeviceIdentity.check(
          chain,
          architecture,
          deviceRoot,
          chains,
          crls,
          context,
          report.opaque().get(OpaqueData.FWID),
          claims,
          problems);
      chipInfo(report, claims, problems);
      if (!NvidiaGpuScheme.signatureValid(chain.get(0), report)) {
        problems.add(
            Problem.of(
                EvidenceProblem.SIGNATURE_INVALID,
                "the report signature does not verify under the first certificate of the device"
                    + " chain"));
      }
    }
    if (binding instanceof ExpectedBinding.Value value && !value.matches(report.nonce())) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH,
              "the requester nonce differs from --report-data"));
    }
    rimIds(report, architecture, claims);
    matchRims(report, rims, usedRims, claims, problems);
    return claims;
  }

  private static java.util.Optional<GpuArchitecture> architectureOf(List<X509Certificate> chain) {
    return GpuArchitecture.chipOf(chain).flatMap(GpuArchitecture::byChip);
  }

  /** The signed CHIP_INFO (opaque 35, Blackwell) must name the chain's chip. */
  private static void chipInfo(
      SpdmReport report, Map<String, Object> claims, List<Problem> problems) {
    java.util.Optional<String> chipInfo =
        report.opaque().get(OpaqueData.CHIP_INFO).map(OpaqueData::text);
    if (chipInfo.isPresent()
        && claims.get("chip") instanceof String chip
        && !chipInfo.get().equals(chip)) {
      problems.add(
          Problem.of(
              EvidenceProblem.MEASUREMENT_MISMATCH,
              "the report's CHIP_INFO is "
                  + chipInfo.get()
                  + " but the device chain is a "
                  + chip
                  + "'s"));
    }
  }

  /**
   * The ids under which NVIDIA's RIM service publishes this GPU's reference manifests: driver
   * {@code <prefix><chip>_<driver version>} (Hopper {@code NV_GPU_DRIVER_GH100_550.90.07},
   * Blackwell {@code NV_GPU_CC_DRIVER_GB100_595.91.07}), VBIOS {@code
   * NV_GPU_VBIOS_<project>_<project sku>_<chip sku>_<VBIOS digits>}.
   */
  private static void rimIds(
      SpdmReport report, GpuArchitecture architecture, Map<String, Object> claims) {
    Map<String, Object> ids = new LinkedHashMap<>();
    Object chip = claims.get("chip");
    java.util.Optional<String> driver = report.opaque().driverVersion();
    if (chip instanceof String name && driver.isPresent()) {
      ids.put("driver", architecture.driverRimPrefix() + name + "_" + driver.get());
    }
    java.util.Optional<String> vbios = report.opaque().vbiosVersion();
    if (vbios.isPresent()
        && claims.get("project") instanceof String project
        && claims.get("project_sku") instanceof String projectSku
        && claims.get("chip_sku") instanceof String chipSku) {
      ids.put(
          "vbios",
          ("NV_GPU_VBIOS_"
                  + project
                  + "_"
                  + projectSku
                  + "_"
                  + chipSku
                  + "_"
                  + vbios.get().replace(".", ""))
              .toUpperCase(java.util.Locale.ROOT));
    }
    if (!ids.isEmpty()) {
      claims.put("rim_ids", ids);
    }
  }

  private static void matchRims(
      SpdmReport report,
      Map<String, ReferenceManifest> rims,
      Set<String> usedRims,
      Map<String, Object> claims,
      List<Problem> problems) {
    Map<String, Object> results = new LinkedHashMap<>();
    String vbios = report.opaque().vbiosVersion().orElse("");
    String driver = report.opaque().driverVersion().orElse("").toLowerCase(java.util.Locale.ROOT);
    for (var entry : rims.entrySet()) {
      String version = entry.getValue().version();
      String kind = version.equals(vbios) ? "vbios" : version.equals(driver) ? "driver" : null;
      if (kind == null) {
        continue;
      }
      usedRims.add(entry.getKey());
      // A RIM for the same version of another chip is validly signed but not this GPU's: NVIDIA
      // names a Hopper driver RIM and a Blackwell one alike but for the chip.
      String product = entry.getValue().product();
      if (claims.get("chip") instanceof String chip
          && !product.isEmpty()
          && !product.equals(chip)) {
        problems.add(
            Problem.of(
                EvidenceProblem.COLLATERAL_MISMATCH,
                "RIM "
                    + entry.getKey()
                    + " is for product "
                    + product
                    + ", not for this GPU's chip "
                    + chip));
        continue;
      }
      results.put(kind, RimMatcher.match(entry.getValue(), report, kind));
    }
    if (!results.isEmpty()) {
      claims.put("rim_match", results);
    }
  }
}
