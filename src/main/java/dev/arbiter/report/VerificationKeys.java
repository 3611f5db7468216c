// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.Optional;

/**
 * Where an evidence bundle takes the keys that verify its records and manifest from: {@link
 * #ofKeyRing}, the pinned key ring with its signed rotation chain (never the database's {@code
 * service_key} rows).
 */
public interface VerificationKeys {
  /** Every service key that signed records (current and rotated), as a public JWK set. */
  JWKSet serviceKeys();

  /**
   * The key rotation chain (each rotation signed by the previous key), as a JSON document, when the
   * key source has one; empty while keys come from the database table.
   */
  Optional<byte[]> rotationChain();

  /**
   * The pinned key ring of the data directory ({@code governance.KeyRing}): every key, and the ring
   * itself as the rotation chain (each key's entry signed by the key before it).
   */
  static VerificationKeys ofKeyRing(dev.arbiter.governance.KeyRing ring) {
    byte[] chain =
        (dev.arbiter.internal.Json.writePretty(java.util.Map.of("keys", ring.entries())) + "\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new VerificationKeys() {
      @Override
      public JWKSet serviceKeys() {
        return ring.jwks();
      }

      @Override
      public Optional<byte[]> rotationChain() {
        return Optional.of(chain.clone());
      }
    };
  }
}
