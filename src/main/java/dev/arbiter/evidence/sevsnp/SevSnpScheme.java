// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Objects;

/**
 * AMD SEV-SNP attestation reports (versions 2, 3 and 5) signed by a VCEK or VLEK that chains to
 * AMD's ARK through the ASK or ASVK for Milan, Genoa or Turin.
 *
 * <p><b>Security guarantee.</b> A valid result means: the report is well-formed; its ECDSA P-384
 * signature verifies under the supplied VCEK/VLEK; that certificate chains to a pinned (or
 * injected) ARK through the matching ASK/ASVK at the context's time; the certificate's TCB SPLs
 * equal {@code reported_tcb}, its hwID equals {@code chip_id} (VCEK, unless the chip id is masked),
 * its kind matches the report's {@code signing_key} field; no supplied CRL revokes the chain and,
 * when a binding is expected, {@code report_data} carries it. Policy bits (debug, SMT, migration
 * agent), VMPL and TCB levels are claims for appraisal, not rejections.
 *
 * <p>Pure: no network, no wall clock. Thread-safe; the chain and certificate caches are bounded.
 */
public final class SevSnpScheme implements EvidenceScheme {
  public static final String ID = "sev-snp";
  private static final int CACHE_ENTRIES = 4096;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SevSnpScheme.class);
  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of(
              "application/vnd.amd.sev.snp.attestation-report",
              "application/vnd.linux.configfs-tsm.sev-snp+json"),
          SnpClaims.NAMES,
          SnpClaims.BYTE_CLAIMS,
          "AMD SEV-SNP attestation report (v2/v3/v5), VCEK/VLEK to AMD ARK (Milan, Genoa, Turin)",
          new SchemeDescriptor.BindingRule.ReportData(64),
          java.util.Optional.of(new SchemeDescriptor.ConfigurationClaim("host_data", 32)),
          SchemeDescriptor.Kind.CPU,
          false);

  private final AmdTrust trust;
  private final ChainVerifier chains = new ChainVerifier(CACHE_ENTRIES);
  private final KeyCertificates keyCertificates = new KeyCertificates(CACHE_ENTRIES);

  /** A scheme trusting the given anchors (tests inject their own test PKI here). */
  public SevSnpScheme(AmdTrust trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  /** The production scheme: AMD's ARK/ASK/ASVK shipped with Arbiter, checked by fingerprint. */
  public static SevSnpScheme withPinnedRoots() {
    return new SevSnpScheme(AmdTrust.pinned());
  }

  /**
   * This scheme preceded by an explicit, opt-in fetch of the VCEK from AMD KDS when the evidence
   * brings none. The returned scheme does network I/O through {@code fetcher}; this one stays pure.
   */
  public EvidenceScheme withVcekFetcher(VcekFetcher fetcher) {
    return new VcekFetchingScheme(this, fetcher);
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(context, "context");
    try {
      return new SnpVerification(this, input, binding, context).run();
    } catch (RuntimeException e) {
      // A bug, not bad input (the fuzz test calls SnpVerification directly to find these); callers
      // still never see an unchecked exception. The evidence itself is not logged.
      LOG.warn("SEV-SNP verification failed unexpectedly", e);
      return VerificationResult.failed(
          ID,
          Problem.of(
              EvidenceProblem.EVIDENCE_MALFORMED,
              "evidence could not be processed: " + e.getClass().getSimpleName()));
    }
  }

  AmdTrust trust() {
    return trust;
  }

  ChainVerifier chains() {
    return chains;
  }

  KeyCertificates keyCertificates() {
    return keyCertificates;
  }

  /**
   * AMD CRLs (KDS {@code /vcek/v1/{product}/crl}, signed by the ARK): recognized when an anchor
   * issued them.
   */
  @Override
  public java.util.List<dev.arbiter.evidence.CollateralCheck> checkCollateral(
      java.util.List<EvidenceInput.Collateral> files, VerificationContext context) {
    return files.stream().map(file -> AmdCrls.check(trust, file, context.now())).toList();
  }
}
