// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles the PCK chain, leaf first: the PEM chain of certification data type 5 when the quote
 * embeds one, otherwise the certificates supplied with {@code --cert} (the leaf being the one with
 * the Intel SGX extension). Supplied certificates also serve as intermediates. Parsed chains are
 * cached by the SHA-256 of their bytes.
 */
final class PckChain {
  private PckChain() {}

  static List<X509Certificate> of(
      DcapTrust trust, Quote quote, EvidenceInput input, List<Problem> problems) {
    List<X509Certificate> embedded = List.of();
    if (quote.certificationDataType() == Quote.CERT_PCK_CHAIN) {
      try {
        embedded = parse(trust, trimNul(quote.certificationData()));
      } catch (CertificateException e) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_MALFORMED,
                "the quote's PCK certificate chain cannot be parsed"));
        return List.of();
      }
    }
    List<X509Certificate> supplied = new ArrayList<>();
    for (byte[] file : input.certificates()) {
      try {
        supplied.addAll(parse(trust, file));
      } catch (CertificateException e) {
        problems.add(
            Problem.of(
                EvidenceProblem.CERTIFICATE_MALFORMED, "a supplied certificate cannot be parsed"));
      }
    }
    List<X509Certificate> chain = new ArrayList<>(embedded);
    if (chain.isEmpty()) {
      supplied.stream()
          .filter(c -> PckExtensions.of(c).isPresent())
          .findFirst()
          .ifPresent(chain::add);
    }
    if (chain.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MISSING,
              "the quote embeds no PCK chain (certification data type "
                  + quote.certificationDataType()
                  + ") and no PCK certificate was supplied"));
      return List.of();
    }
    for (X509Certificate certificate : supplied) {
      if (!chain.contains(certificate)) {
        chain.add(certificate);
      }
    }
    return List.copyOf(chain);
  }

  private static List<X509Certificate> parse(DcapTrust trust, byte[] bytes)
      throws CertificateException {
    String key = DcapTrust.key(bytes);
    List<X509Certificate> cached = trust.certificateLists.get(key);
    if (cached == null) {
      try {
        cached = List.copyOf(Certificates.parse(bytes));
      } catch (IllegalArgumentException e) {
        throw new CertificateException("bad PEM", e);
      }
      trust.certificateLists.put(key, cached);
    }
    return cached;
  }

  /** Certification data is often NUL-terminated PEM. */
  private static byte[] trimNul(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
  }
}
