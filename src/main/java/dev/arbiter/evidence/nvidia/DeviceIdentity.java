// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.crypto.CrlChecker;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a GPU's device certificate chain (leaf first) against its generation's expectations
 * ({@link GpuArchitecture}): it must chain to the pinned NVIDIA Device Identity CA, must not be the
 * root alone, must start at the attestation certificate ({@code <chip> <stepping> GSP FMC LF},
 * issued by {@code <chip> <stepping> GSP BROM}) of a chip of that generation, every intermediate
 * that names a chip must name the same one, and the attestation certificate must carry its FWID
 * under the generation's extension OID and layout; the report's FWID, when present, must equal it.
 * The leaf key must be ECDSA P-384.
 */
final class DeviceIdentity {
  private DeviceIdentity() {}

  static void check(
      List<X509Certificate> chain,
      GpuArchitecture architecture,
      X509Certificate root,
      ChainVerifier chains,
      List<X509CRL> crls,
      VerificationContext context,
      Optional<byte[]> reportFwid,
      Map<String, Object> claims,
      List<Problem> problems) {
    X509Certificate leaf = chain.get(0);
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("subject", leaf.getSubjectX500Principal().getName());
    described.put("issuer", leaf.getIssuerX500Principal().getName());
    described.put("serial", leaf.getSerialNumber().toString(16));
    described.put("chain_length", (long) chain.size());
    claims.put("device_certificate", described);
    if (same(leaf, root)) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "the device chain holds only the NVIDIA Device Identity CA; the attestation"
                  + " certificate is missing"));
      return;
    }
    switch (chains.verify(chain, List.of(root), context.now())) {
      case ChainVerifier.Result.Invalid invalid ->
          problems.add(
              Problem.of(
                  invalid.failure() == ChainVerifier.Failure.EXPIRED
                      ? EvidenceProblem.CERTIFICATE_EXPIRED
                      : EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                  "device chain: " + invalid.detail()));
      case ChainVerifier.Result.Valid valid ->
          revocation(valid.path(), crls, context, claims, problems);
    }
    generation(chain, architecture, root, claims, problems);
    fwid(leaf, architecture, reportFwid, described, problems);
    if (!(leaf.getPublicKey() instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      problems.add(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "the attestation certificate key is not ECDSA P-384"));
    }
  }

  /** The chain's names against the generation: one chip of that generation throughout. */
  private static void generation(
      List<X509Certificate> chain,
      GpuArchitecture architecture,
      X509Certificate root,
      Map<String, Object> claims,
      List<Problem> problems) {
    X509Certificate leaf = chain.get(0);
    Optional<String> chip = GpuArchitecture.chipOf(chain);
    if (chip.isEmpty() || !GpuArchitecture.isGsp(leaf, chip.get(), "FMC LF")) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "the first certificate ("
                  + GpuArchitecture.commonName(leaf)
                  + ") is not a GPU attestation certificate (<chip> <stepping> GSP FMC LF)"));
      return;
    }
    claims.put("chip", chip.get());
    Optional<GpuArchitecture> chainArchitecture = GpuArchitecture.byChip(chip.get());
    if (chainArchitecture.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "GPU chip " + chip.get() + " is of no supported generation (Hopper, Blackwell)"));
      return;
    }
    if (!chainArchitecture.get().equals(architecture)) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "the evidence declares a "
                  + architecture.name()
                  + " GPU but the device chain is a "
                  + chip.get()
                  + "'s ("
                  + chainArchitecture.get().name()
                  + ")"));
    }
    if (chain.size() > 1 && !same(chain.get(1), root)) {
      if (GpuArchitecture.isGsp(chain.get(1), chip.get(), "BROM")) {
        claims.put("hwmodel", GpuArchitecture.commonName(chain.get(1)));
      } else {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                "the attestation certificate's issuer ("
                    + GpuArchitecture.commonName(chain.get(1))
                    + ") is not the "
                    + chip.get()
                    + " GSP BROM certificate"));
      }
    }
    for (int i = 2; i < chain.size(); i++) {
      X509Certificate certificate = chain.get(i);
      if (same(certificate, root)) {
        continue;
      }
      Optional<String> named = GpuArchitecture.chipNamedBy(certificate);
      if (named.isPresent() && !named.get().equals(chip.get())) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                "chain certificate "
                    + i
                    + " ("
                    + GpuArchitecture.commonName(certificate)
                    + ") is for "
                    + named.get()
                    + ", not for the attestation certificate's "
                    + chip.get()));
      }
    }
  }

  private static void fwid(
      X509Certificate leaf,
      GpuArchitecture architecture,
      Optional<byte[]> reportFwid,
      Map<String, Object> described,
      List<Problem> problems) {
    byte[] extension = leaf.getExtensionValue(architecture.fwidOid());
    if (extension == null) {
      Optional<String> elsewhere =
          GpuArchitecture.ALL.stream()
              .map(GpuArchitecture::fwidOid)
              .filter(oid -> leaf.getExtensionValue(oid) != null)
              .findFirst();
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              elsewhere
                  .map(oid ->
                      "the attestation certificate carries its FWID under "
                          + oid
                          + ", but a "
                          + architecture.name()
                          + " attestation certificate carries it under "
                          + architecture.fwidOid())
                  .orElse(
                      "the first certificate ("
                          + GpuArchitecture.commonName(leaf)
                          + ") has no FWID extension ("
                          + architecture.fwidOid()
                          + "): it is not the GPU attestation certificate")));
      return;
    }
    FwidExtension fwid;
    try {
      fwid = FwidExtension.read(extension, architecture);
    } catch (SpdmFormatException e) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MALFORMED,
              "attestation certificate " + architecture.fwidOid() + ": " + e.getMessage()));
      return;
    }
    described.put("fwid", Hex.encode(fwid.digest()));
    if (!fwid.details().isEmpty()) {
      described.put("tcb_info", fwid.details());
    }
    if (reportFwid.isPresent()
        && !dev.arbiter.crypto.Digests.constantTimeEquals(fwid.digest(), reportFwid.get())) {
      problems.add(
          Problem.of(
              EvidenceProblem.MEASUREMENT_MISMATCH,
              "the report's FWID is not the one in the attestation certificate's FWID"
                  + " extension"));
    }
  }

  private static void revocation(
      List<X509Certificate> path,
      List<X509CRL> crls,
      VerificationContext context,
      Map<String, Object> claims,
      List<Problem> problems) {
    CrlChecker.Outcome outcome =
        CrlChecker.check(path, crls, context.now(), context.allowStaleCrl());
    for (CrlChecker.Finding finding : outcome.findings()) {
      problems.add(
          Problem.of(
              switch (finding.kind()) {
                case "REVOKED" -> EvidenceProblem.CERTIFICATE_REVOKED;
                case "STALE" -> EvidenceProblem.CRL_STALE;
                default -> EvidenceProblem.CRL_INVALID;
              },
              finding.detail()));
    }
    boolean checked = outcome.status() == CrlChecker.Status.CHECKED;
    claims.put("revocation", checked ? "checked" : "unchecked");
    if (!checked && context.requireRevocation()) {
      problems.add(
          Problem.of(EvidenceProblem.REVOCATION_UNCHECKED, "no CRL covers the GPU device chain"));
    }
  }

  static boolean same(X509Certificate a, X509Certificate b) {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
  }
}
