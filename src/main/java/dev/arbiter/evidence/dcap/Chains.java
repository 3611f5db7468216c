// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.ChainVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * {@link ChainVerifier} with a per-instance memo keyed by the (cached, immutable) certificate list,
 * so a warm path skips re-encoding and re-hashing the chain. The memo holds only valid paths and
 * the window in which every certificate of the path is valid; outside it the chain is re-verified.
 */
final class Chains {
  /** A verified path and its common validity window. */
  record Memo(List<X509Certificate> path, Instant from, Instant until) {}

  private Chains() {}

  static ChainVerifier.Result verify(DcapTrust trust, List<X509Certificate> chain, Instant at) {
    Memo memo = trust.chainMemos.get(chain);
    if (memo != null && !at.isBefore(memo.from()) && !at.isAfter(memo.until())) {
      return new ChainVerifier.Result.Valid(memo.path());
    }
    ChainVerifier.Result result = trust.chains.verify(chain, trust.anchors(), at);
    if (result instanceof ChainVerifier.Result.Valid valid) {
      Instant from = Instant.MIN;
      Instant until = Instant.MAX;
      for (X509Certificate certificate : valid.path()) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        from = notBefore.isAfter(from) ? notBefore : from;
        until = notAfter.isBefore(until) ? notAfter : until;
      }
      trust.chainMemos.put(List.copyOf(chain), new Memo(valid.path(), from, until));
    }
    return result;
  }
}
