// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.crypto.Providers;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NVIDIA Hopper and Blackwell GPU attestation ({@code nvidia-gpu}; per-generation expectations in
 * {@link GpuArchitecture}): SPDM 1.1 signed measurement reports, one or a JSON list of several,
 * each with its device certificate chain, optionally matched against signed reference integrity
 * manifests (RIMs) supplied as collateral.
 *
 * <p><b>Security guarantee.</b> A valid result means, for every GPU in the evidence: the report is
 * a well-formed SPDM 1.1 GET_MEASUREMENTS exchange; its ECDSA P-384 signature verifies under the
 * attestation certificate of a chip of the report's generation, which carries that generation's
 * FWID extension matching the report and chains to the NVIDIA Device Identity CA this scheme was
 * built with (pinned by SHA-256 fingerprint in {@link #withPinnedRoots()}); the requester nonce
 * equals the expected binding; and every supplied RIM is signed by a chain to the pinned NVIDIA RIM
 * root valid at the verification time and applies to the GPU's VBIOS or driver version. RIM
 * comparison results are claims ({@code rim_match}), left to appraisal. Thread-safe.
 */
public final class NvidiaGpuScheme implements EvidenceScheme {
  public static final String ID = "nvidia-gpu";

  /** SHA-256 of the DER of "NVIDIA Device Identity CA" (nvtrust verifier_device_root.pem). */
  public static final String DEVICE_ROOT_SHA256 =
      "102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48";

  /** SHA-256 of the DER of "NVIDIA CoRIM signing Root CA" (nvtrust verifier_RIM_root.pem). */
  public static final String RIM_ROOT_SHA256 =
      "12977b5115acb0381179279fffeb5a8c4d264971ebb32298023a465fa41df5d1";

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of(
              "application/vnd.nvidia.spdm-measurements",
              "application/vnd.nvidia.gpu-evidence+json"),
          GpuClaims.NAMES,
          GpuClaims.BYTE_CLAIMS,
          "NVIDIA Hopper (H100/H200) and Blackwell (B200/GB200) GPU attestation report (SPDM 1.1"
              + " measurements, device chain, RIMs)",
          new SchemeDescriptor.BindingRule.PrefixOfB(32),
          java.util.Optional.empty(),
          SchemeDescriptor.Kind.DEVICE,
          false);

  private final X509Certificate deviceRoot;
  private final X509Certificate rimRoot;
  private final ChainVerifier chains = new ChainVerifier(256);

  /** A scheme trusting the given roots (tests inject their own device PKI). */
  public NvidiaGpuScheme(X509Certificate deviceRoot, X509Certificate rimRoot) {
    this.deviceRoot = deviceRoot;
    this.rimRoot = rimRoot;
  }

  /** The production roots shipped as resources, checked against their pinned fingerprints. */
  public static NvidiaGpuScheme withPinnedRoots() {
    return new NvidiaGpuScheme(
        pinned("verifier_device_root.pem", DEVICE_ROOT_SHA256),
        pinned("verifier_RIM_root.pem", RIM_ROOT_SHA256));
  }

  private static X509Certificate pinned(String resource, String fingerprint) {
    try (InputStream in = NvidiaGpuScheme.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      X509Certificate certificate = Certificates.parse(in.readAllBytes()).get(0);
      if (!Certificates.fingerprint(certificate).equals(fingerprint)) {
        throw new IllegalStateException(resource + " does not have the pinned SHA-256 fingerprint");
      }
      return certificate;
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot load " + resource, e);
    }
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    List<GpuEvidence.Device> devices;
    try {
      devices = GpuEvidence.parse(input.evidence());
    } catch (SpdmFormatException e) {
      return VerificationResult.failed(ID, Problem.of(typeOf(e), e.getMessage()));
    }
    List<Problem> problems = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    Map<String, ReferenceManifest> rims = collateral(input, context, crls, problems);
    List<X509Certificate> suppliedChain = suppliedChain(input, problems);
    List<Map<String, Object>> perGpu = new ArrayList<>();
    java.util.Set<String> usedRims = new java.util.HashSet<>();
    for (int i = 0; i < devices.size(); i++) {
      List<Problem> found = new ArrayList<>();
      GpuVerifier verifier = new GpuVerifier(deviceRoot, chains, crls, context);
      perGpu.add(verifier.verify(devices.get(i), suppliedChain, binding, rims, usedRims, found));
      String prefix = devices.size() > 1 ? "gpu[" + i + "]: " : "";
      found.forEach(p -> problems.add(Problem.of(p.type(), prefix + p.detail())));
    }
    for (var rim : rims.entrySet()) {
      if (!usedRims.contains(rim.getKey())) {
        problems.add(
            Problem.of(
                EvidenceProblem.COLLATERAL_MISMATCH,
                "RIM "
                    + rim.getKey()
                    + " (version "
                    + rim.getValue().version()
                    + ") matches neither the VBIOS nor the driver version of the report"));
      }
    }
    Map<String, Object> claims;
    if (perGpu.size() == 1) {
      claims = perGpu.get(0);
    } else {
      claims = new LinkedHashMap<>();
      claims.put("gpu_count", (long) perGpu.size());
      Map<String, Object> gpus = new LinkedHashMap<>();
      for (int i = 0; i < perGpu.size(); i++) {
        gpus.put(Integer.toString(i), perGpu.get(i));
      }
      claims.put("gpus", gpus);
    }
    return new VerificationResult(ID, new Claims(claims), problems);
  }

  private Map<String, ReferenceManifest> collateral(
      EvidenceInput input,
      VerificationContext context,
      List<X509CRL> crls,
      List<Problem> problems) {
    Map<String, ReferenceManifest> rims = new LinkedHashMap<>();
    for (EvidenceInput.Collateral file : input.collateral()) {
      if (ReferenceManifest.looksLikeRim(file.bytes())) {
        try {
          ReferenceManifest rim = ReferenceManifest.parse(file.bytes());
          var invalid = RimSignature.check(rim, rimRoot, chains, context.now());
          if (invalid.isPresent()) {
            problems.add(
                Problem.of(invalid.get().type(), file.name() + ": " + invalid.get().detail()));
          } else {
            rims.put(file.name(), rim);
          }
        } catch (SpdmFormatException e) {
          problems.add(
              Problem.of(
                  EvidenceProblem.COLLATERAL_MALFORMED, file.name() + ": " + e.getMessage()));
        }
        continue;
      }
      try {
        crls.addAll(Certificates.parseCrls(file.bytes()));
      } catch (java.security.cert.CRLException e) {
        problems.add(
            Problem.of(
                EvidenceProblem.COLLATERAL_MALFORMED, file.name() + " is neither a RIM nor a CRL"));
      }
    }
    return rims;
  }

  private static List<X509Certificate> suppliedChain(EvidenceInput input, List<Problem> problems) {
    List<X509Certificate> chain = new ArrayList<>();
    for (byte[] file : input.certificates()) {
      try {
        chain.addAll(Certificates.parse(file));
      } catch (CertificateException e) {
        problems.add(
            Problem.of(EvidenceProblem.CERTIFICATE_MALFORMED, "--cert: " + e.getMessage()));
      }
    }
    return chain;
  }

  static EvidenceProblem typeOf(SpdmFormatException e) {
    return e.unsupported()
        ? EvidenceProblem.UNSUPPORTED_VERSION
        : EvidenceProblem.EVIDENCE_MALFORMED;
  }

  static boolean signatureValid(X509Certificate leaf, SpdmReport report) {
    return Providers.verify(
        "SHA384withECDSAinP1363Format", leaf.getPublicKey(), report.signed(), report.signature());
  }

  /** Reference integrity manifests (signed SWID XML) chaining to the pinned RIM root. */
  @Override
  public java.util.List<dev.arbiter.evidence.CollateralCheck> checkCollateral(
      java.util.List<EvidenceInput.Collateral> files, VerificationContext context) {
    return files.stream().map(file -> checkRim(file, context)).toList();
  }

  private dev.arbiter.evidence.CollateralCheck checkRim(
      EvidenceInput.Collateral file, VerificationContext context) {
    if (!ReferenceManifest.looksLikeRim(file.bytes())) {
      return dev.arbiter.evidence.CollateralCheck.notRecognized();
    }
    try {
      ReferenceManifest rim = ReferenceManifest.parse(file.bytes());
      java.util.List<dev.arbiter.problem.Problem> problems = new java.util.ArrayList<>();
      RimSignature.check(rim, rimRoot, chains, context.now()).ifPresent(problems::add);
      return new dev.arbiter.evidence.CollateralCheck(
          true, "rim", "rim:" + file.name(), java.util.Optional.empty(), problems);
    } catch (SpdmFormatException e) {
      return new dev.arbiter.evidence.CollateralCheck(
          true,
          "rim",
          "rim:" + file.name(),
          java.util.Optional.empty(),
          java.util.List.of(
              dev.arbiter.problem.Problem.of(
                  dev.arbiter.evidence.EvidenceProblem.COLLATERAL_MALFORMED,
                  "RIM: " + e.getMessage())));
    }
  }
}
