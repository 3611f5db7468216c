// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.ProblemException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Container forms accepted as Nitro {@code --evidence} besides the raw (or hex / base64) document:
 * a PEM certificate chain whose leaf carries the document hex-encoded as the first label of a DNS
 * subjectAltName (the RA-TLS style "cage" certificates in the Evervault vectors). The certificate
 * itself is not trusted for anything: only the embedded document is extracted and verified.
 */
final class NitroContainers {
  /** Shortest label taken for an embedded document (a real one is several KiB). */
  private static final int MIN_EMBEDDED_HEX = 512;

  private NitroContainers() {}

  static byte[] unwrap(byte[] evidence) {
    if (!Certificates.isPem(evidence)) {
      return evidence;
    }
    List<X509Certificate> certificates;
    try {
      certificates = Certificates.parse(evidence);
    } catch (CertificateException | IllegalArgumentException e) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "Nitro evidence is PEM but holds no parseable certificate");
    }
    try {
      Collection<List<?>> names = certificates.get(0).getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.size() == 2
              && Integer.valueOf(2).equals(name.get(0))
              && name.get(1) instanceof String dns) {
            String label = dns.split("\\.", 2)[0];
            if (label.length() >= MIN_EMBEDDED_HEX && Hex.isHex(label)) {
              return Hex.decode(label);
            }
          }
        }
      }
    } catch (CertificateParsingException e) {
      // fall through to the problem below
    }
    throw new ProblemException(
        EvidenceProblem.EVIDENCE_MALFORMED,
        "Nitro evidence is a certificate without an embedded attestation document");
  }
}
