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
    SpdmReport report;
    try {
      report = SpdmReport.parse(device.report());
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
    if (chain.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MISSING,
              "no device certificate chain: supply it with --cert or in the evidence JSON"));
    } else {
      DeviceIdentity.check(
          chain,
          deviceRoot,
          chains,
          crls,
          context,
          report.opaque().get(OpaqueData.FWID),
          claims,
          problems);
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
    matchRims(report, rims, usedRims, claims);
    return claims;
  }

  private static void matchRims(
      SpdmReport report,
      Map<String, ReferenceManifest> rims,
      Set<String> usedRims,
      Map<String, Object> claims) {
    Map<String, Object> results = new LinkedHashMap<>();
    String vbios = report.opaque().vbiosVersion().orElse("");
    String driver = report.opaque().driverVersion().orElse("").toLowerCase(java.util.Locale.ROOT);
    for (var entry : rims.entrySet()) {
      String version = entry.getValue().version();
      String kind = version.equals(vbios) ? "vbios" : version.equals(driver) ? "driver" : null;
      if (kind != null) {
        usedRims.add(entry.getKey());
        results.put(kind, RimMatcher.match(entry.getValue(), report, kind));
      }
    }
    if (!results.isEmpty()) {
      claims.put("rim_match", results);
    }
  }
}
