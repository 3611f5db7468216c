// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.Digests;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU cache of parsed certificates keyed by the SHA-256 of their DER bytes, so that the
 * AWS intermediates (shared by every enclave of a region or zone) and an instance's leaf (reused
 * for ~3 hours) are parsed once. Only parsing is cached; every use still verifies signatures (via
 * the chain cache keyed on the same bytes) and validity times. Thread-safe.
 */
final class ParsedCertificates {
  private final Map<String, X509Certificate> cache;

  ParsedCertificates(int maxEntries) {
    this.cache =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
                return size() > maxEntries;
              }
            });
  }

  X509Certificate parse(byte[] der) throws CertificateException {
    String key = HexFormat.of().formatHex(Digests.sha256(der));
    X509Certificate certificate = cache.get(key);
    if (certificate == null) {
      certificate = Certificates.parseDer(der);
      cache.put(key, certificate);
    }
    return certificate;
  }
}
