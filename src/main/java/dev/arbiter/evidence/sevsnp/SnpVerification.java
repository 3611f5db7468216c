// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One verification of one piece of SNP evidence: every check runs and every failure is recorded, so
 * the result lists all failed checks. Not thread-safe; one instance per call.
 */
final class SnpVerification {
  private final SevSnpScheme scheme;
  private final EvidenceInput input;
  private final ExpectedBinding binding;
  private final VerificationContext context;
  private final List<Problem> problems = new ArrayList<>();

  SnpVerification(
      SevSnpScheme scheme,
      EvidenceInput input,
      ExpectedBinding binding,
      VerificationContext context) {
    this.scheme = scheme;
    this.input = input;
    this.binding = binding;
    this.context = context;
  }

  VerificationResult run() {
    AttestationReport report;
    List<byte[]> certificateFiles = new ArrayList<>(input.certificates());
    try {
      EvidenceForms.Decoded decoded = EvidenceForms.decode(input.evidence());
      report = AttestationReport.parse(decoded.report());
      certificateFiles.addAll(decoded.certificates());
    } catch (ProblemException e) {
      return new VerificationResult(
          SevSnpScheme.ID, dev.arbiter.evidence.Claims.empty(), e.problems());
    }
    checkBinding(report);
    Optional<AmdKeyCertificate> key = selectKey(report, certificateFiles);
    Optional<Product> product = key.isPresent() ? Optional.empty() : report.cpuidProduct();
    Optional<String> revocation = Optional.empty();
    if (key.isPresent()) {
      AmdKeyCertificate leaf = key.get();
      Optional<AmdTrust.Anchor> anchor = scheme.trust().issuerOf(leaf.certificate());
      product =
          anchor
              .map(AmdTrust.Anchor::product)
              .or(() -> leaf.productName().flatMap(Product::fromProductName))
              .or(report::cpuidProduct);
      if (anchor.isEmpty()) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                "the "
                    + report.signingKey()
                    + " certificate's issuer '"
                    + leaf.certificate().getIssuerX500Principal().getName()
                    + "' is not a pinned AMD ASK or ASVK"));
      } else {
        revocation = checkChain(report, leaf, anchor.get());
      }
      boolean turin = product.map(Product::turinTcbLayout).orElse(false);
      checkSignature(report, leaf);
      checkTcb(report, leaf, turin);
      checkHwId(report, leaf);
    }
    return new VerificationResult(
        SevSnpScheme.ID, SnpClaims.of(report, product, key, revocation), problems);
  }

  private void checkBinding(AttestationReport report) {
    if (binding instanceof ExpectedBinding.Value expected
        && !expected.matches(report.reportData())) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH,
              "report_data differs from the expected value ("
                  + expected.bytes().length
                  + " bytes, zero-padded to 64)"));
    }
  }

  /**
   * The VCEK/VLEK to use: one whose issuer is a pinned intermediate of the report's key kind if
   * any.
   */
  private Optional<AmdKeyCertificate> selectKey(AttestationReport report, List<byte[]> files) {
    List<AmdKeyCertificate> keys = new ArrayList<>();
    for (byte[] file : files) {
      KeyCertificates.Parsed parsed = scheme.keyCertificates().parse(file);
      keys.addAll(parsed.keys());
      problems.addAll(parsed.problems());
    }
    AmdKeyCertificate sameKind = null;
    for (AmdKeyCertificate key : keys) {
      Optional<AmdTrust.Anchor> anchor = scheme.trust().issuerOf(key.certificate());
      if (anchor.isPresent() && anchor.get().kind() == report.signingKey()) {
        if (keys.size() == 1
            || key.hwId().map(hwId -> hwIdMatches(report.chipId(), hwId)).orElse(true)) {
          return Optional.of(key);
        }
        sameKind = sameKind == null ? key : sameKind;
      }
    }
    if (sameKind != null) {
      return Optional.of(sameKind);
    }
    if (keys.isEmpty()) {
      if (problems.isEmpty()) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_MISSING,
                "no "
                    + report.signingKey()
                    + " certificate: supply it with --cert (or as the certificate table of a"
                    + " configfs-tsm report)"));
      }
      return Optional.empty();
    }
    return Optional.of(keys.get(0));
  }

  private Optional<String> checkChain(
      AttestationReport report, AmdKeyCertificate leaf, AmdTrust.Anchor anchor) {
    if (anchor.kind() != report.signingKey()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "the report's signing_key field says "
                  + report.signingKey()
                  + " but the certificate is a "
                  + anchor.kind()
                  + " (issued by "
                  + (anchor.kind() == SigningKey.VCEK ? "an ASK" : "an ASVK")
                  + ")"));
    }
    leaf.productName()
        .ifPresent(name -> {
          if (Product.fromProductName(name).filter(p -> p == anchor.product()).isEmpty()) {
            problems.add(
                Problem.of(
                    EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                    "the certificate's productName '"
                        + name
                        + "' does not match its "
                        + anchor.product().kdsName()
                        + " chain"));
          }
        });
    ChainVerifier.Result result =
        scheme
            .chains()
            .verify(
                List.of(leaf.certificate(), anchor.intermediate()),
                List.of(anchor.root()),
                context.now());
    if (result instanceof ChainVerifier.Result.Invalid invalid) {
      problems.add(
          Problem.of(
              invalid.failure() == ChainVerifier.Failure.EXPIRED
                  ? EvidenceProblem.CERTIFICATE_EXPIRED
                  : EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              invalid.detail()));
      return Optional.empty();
    }
    List<X509Certificate> path = ((ChainVerifier.Result.Valid) result).path();
    return Optional.of(SnpRevocation.check(path, input.collateral(), context, problems));
  }

  private void checkSignature(AttestationReport report, AmdKeyCertificate leaf) {
    if (!ReportSignature.verify(report.bytes(), leaf.publicKey())) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID,
              "the report's ECDSA P-384 signature does not verify under the "
                  + report.signingKey()
                  + " public key"));
    }
  }

  private void checkTcb(AttestationReport report, AmdKeyCertificate leaf, boolean turin) {
    TcbVersion reported = report.reportedTcb(turin);
    if (leaf.tcb().isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MALFORMED,
              "the VCEK/VLEK lacks AMD's TCB (SPL) extensions"));
    } else if (!leaf.tcb().get().equals(reported)) {
      problems.add(
          Problem.of(
              EvidenceProblem.TCB_MISMATCH,
              "reported_tcb ("
                  + reported
                  + ") differs from the certificate's TCB ("
                  + leaf.tcb().get()
                  + ")"));
    }
  }

  private void checkHwId(AttestationReport report, AmdKeyCertificate leaf) {
    if (report.signingKey() != SigningKey.VCEK) {
      return;
    }
    byte[] chipId = report.chipId();
    if (leaf.hwId().isEmpty()) {
      problems.add(
          Problem.of(EvidenceProblem.CERTIFICATE_MALFORMED, "the VCEK lacks the hwID extension"));
      return;
    }
    if (SnpClaims.isZero(chipId)) {
      return; // MASK_CHIP_ID: the chip is identified by the VCEK key itself (claim chip_id_masked)
    }
    byte[] hwId = leaf.hwId().get();
    if (!hwIdMatches(chipId, hwId)) {
      problems.add(
          Problem.of(
              EvidenceProblem.CHIP_ID_MISMATCH,
              "chip_id differs from the VCEK's hwID (" + hwId.length + " bytes)"));
    }
  }

  /** hwID is the whole chip_id (64 bytes) or, on Turin, its first 8 bytes. */
  private static boolean hwIdMatches(byte[] chipId, byte[] hwId) {
    return dev.arbiter.crypto.Digests.constantTimeEquals(
        java.util.Arrays.copyOf(chipId, hwId.length), hwId);
  }
}
