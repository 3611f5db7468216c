// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import java.nio.charset.StandardCharsets;

/**
 * A hash-chained, signed record: {@code body} is the RFC 8785 form of the record's content (which
 * includes {@code prev}, the previous record's hash), {@code hash} = hex SHA-256(body), and {@code
 * signature} = ES256 by the service key over the 32 hash bytes. Third parties can recompute all of
 * it from the rows.
 */
public record ChainedRecord(String body, String hash, String keyId, String signature) {

  /** Canonicalizes, hashes and signs {@code content}. */
  public static ChainedRecord seal(ObjectNode content, ServiceKey key) {
    byte[] canonical = Jcs.canonicalize(content);
    byte[] hash = Digests.sha256(canonical);
    return new ChainedRecord(
        new String(canonical, StandardCharsets.UTF_8),
        Hex.encode(hash),
        key.keyId(),
        key.sign(hash));
  }
}
