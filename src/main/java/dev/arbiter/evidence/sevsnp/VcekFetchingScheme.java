// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds a VCEK from a {@link VcekFetcher} to evidence that brings none, then delegates to the pure
 * {@link SevSnpScheme}. The product comes from the report's CPUID fields (v3+); for v2 reports,
 * which lack them, Milan then Genoa are tried.
 */
final class VcekFetchingScheme implements EvidenceScheme {
  private final SevSnpScheme inner;
  private final VcekFetcher fetcher;

  VcekFetchingScheme(SevSnpScheme inner, VcekFetcher fetcher) {
    this.inner = inner;
    this.fetcher = fetcher;
  }

  @Override
  public SchemeDescriptor descriptor() {
    return inner.descriptor();
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    return inner.verify(withFetchedVcek(input), binding, context);
  }

  EvidenceInput withFetchedVcek(EvidenceInput input) {
    AttestationReport report;
    try {
      EvidenceForms.Decoded decoded = EvidenceForms.decode(input.evidence());
      if (!decoded.certificates().isEmpty() || !input.certificates().isEmpty()) {
        return input;
      }
      report = AttestationReport.parse(decoded.report());
    } catch (ProblemException e) {
      return input; // the scheme reports the problem
    }
    if (report.signingKey() != SigningKey.VCEK || SnpClaims.isZero(report.chipId())) {
      return input;
    }
    List<Product> candidates =
        report.cpuidProduct().map(List::of).orElse(List.of(Product.MILAN, Product.GENOA));
    for (Product product : candidates) {
      byte[] hwId =
          product == Product.TURIN ? java.util.Arrays.copyOf(report.chipId(), 8) : report.chipId();
      Optional<byte[]> vcek =
          fetcher.fetch(product, hwId, report.reportedTcb(product.turinTcbLayout()));
      if (vcek.isPresent()) {
        List<byte[]> certificates = new ArrayList<>(input.certificates());
        certificates.add(vcek.get());
        return input.withCertificates(certificates);
      }
    }
    return input;
  }
}
