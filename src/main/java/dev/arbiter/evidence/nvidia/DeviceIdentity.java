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
 * Checks a GPU's device certificate chain (leaf first): it must chain to the pinned NVIDIA Device
 * Identity CA, must not be the root alone, and must start at the attestation ("GSP FMC LF")
 * certificate, recognised by its TCG DICE FWID extension (2.23.133.5.4.1), whose value must contain
 * the report's FWID when the report carries one. The leaf key must be ECDSA P-384.
 */
final class DeviceIdentity {
  static final String TCG_DICE_FWID = "2.23.133.5.4.1";

  private DeviceIdentity() {}

  static void check(
      List<X509Certificate> chain,
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
    byte[] extension = leaf.getExtensionValue(TCG_DICE_FWID);
    if (extension == null) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "the first certificate ("
                  + leaf.getSubjectX500Principal().getName()
                  + ") has no FWID extension: it is not the GPU attestation certificate"));
    } else if (reportFwid.isPresent()) {
      if (indexOf(extension, reportFwid.get()) < 0) {
        problems.add(
            Problem.of(
                EvidenceProblem.MEASUREMENT_MISMATCH,
                "the report's FWID is not the one in the attestation certificate's FWID"
                    + " extension"));
      } else {
        described.put("fwid", Hex.encode(reportFwid.get()));
      }
    }
    if (!(leaf.getPublicKey() instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      problems.add(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "the attestation certificate key is not ECDSA P-384"));
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

  static int indexOf(byte[] haystack, byte[] needle) {
    if (needle.length == 0) {
      return -1;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
