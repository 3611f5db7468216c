// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.BoundedCache;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the VCEK/VLEK among supplied certificate files (PEM with any number of blocks, or DER),
 * with a bounded cache keyed by the SHA-256 of each file so that a known chip's certificate is
 * parsed once. CA certificates (ASK, ASVK, ARK) in the files are ignored: anchors are pinned.
 */
final class KeyCertificates {
  /** The key certificates found in one file, or the problem that made it unreadable. */
  record Parsed(List<AmdKeyCertificate> keys, List<Problem> problems) {}

  private final BoundedCache<String, Parsed> cache;

  KeyCertificates(int maxEntries) {
    this.cache = new BoundedCache<>(maxEntries);
  }

  Parsed parse(byte[] file) {
    return cache.computeIfAbsent(Hex.encode(Digests.sha256(file)), key -> parseUncached(file));
  }

  private static Parsed parseUncached(byte[] file) {
    List<X509Certificate> certificates;
    try {
      certificates = Certificates.parse(file);
    } catch (CertificateException | RuntimeException e) {
      return new Parsed(
          List.of(),
          List.of(
              Problem.of(
                  EvidenceProblem.CERTIFICATE_MALFORMED,
                  "a supplied certificate cannot be parsed: " + e.getMessage())));
    }
    List<AmdKeyCertificate> keys = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (X509Certificate certificate : certificates) {
      if (!AmdKeyCertificate.isKeyCertificate(certificate)) {
        continue;
      }
      try {
        keys.add(AmdKeyCertificate.parse(certificate));
      } catch (ProblemException e) {
        problems.addAll(e.problems());
      }
    }
    return new Parsed(List.copyOf(keys), List.copyOf(problems));
  }
}
