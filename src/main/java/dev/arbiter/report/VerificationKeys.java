// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.Optional;

/**
 * Where an evidence bundle takes the keys that verify its records and manifest from. Today {@link
 * #ofServiceKeyStore} (the published JWKS of {@code governance.ServiceKeyStore}); when service keys
 * move to a key ring file, an implementation over the ring (with its signed rotation chain)
 * replaces it without touching the bundle code.
 */
public interface VerificationKeys {
  /** Every service key that signed records (current and rotated), as a public JWK set. */
  JWKSet serviceKeys();

  /**
   * The key rotation chain (each rotation signed by the previous key), as a JSON document, when the
   * key source has one; empty while keys come from the database table.
   */
  Optional<byte[]> rotationChain();

  /** The keys {@code governance.ServiceKeyStore} publishes; no rotation chain. */
  static VerificationKeys ofServiceKeyStore(dev.arbiter.governance.ServiceKeyStore store) {
    return new VerificationKeys() {
      @Override
      public JWKSet serviceKeys() {
        return store.published();
      }

      @Override
      public Optional<byte[]> rotationChain() {
        return Optional.empty();
      }
    };
  }
}
