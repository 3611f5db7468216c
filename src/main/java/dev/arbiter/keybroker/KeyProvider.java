// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import java.security.GeneralSecurityException;

/**
 * The key-encryption key of the envelope scheme: wraps and unwraps the per-version data keys of
 * secrets. The default {@link LocalMasterKey} holds a 32-byte AES key in the data directory; a KMS
 * or HSM can implement this interface later (wrap and unwrap then happen inside the KMS and the
 * master key never reaches this process).
 *
 * <p>Security guarantee required of implementations: {@link #wrap} is authenticated encryption
 * bound to {@code associatedData}; {@link #unwrap} fails with a {@link GeneralSecurityException}
 * (never returns other bytes) when the wrapped key, the associated data or the key itself differ
 * from those used to wrap. Implementations are thread-safe.
 */
public interface KeyProvider {
  /**
   * A stable, non-secret identifier of the wrapping key (stored beside each secret so that a later
   * unwrap can tell when the secret was wrapped by a different key), e.g. {@code local:<hex>}.
   */
  String keyId();

  /** Encrypts a data key, binding it to {@code associatedData}. */
  byte[] wrap(byte[] dataKey, byte[] associatedData) throws GeneralSecurityException;

  /** Decrypts a data key wrapped by {@link #wrap} with the same associated data. */
  byte[] unwrap(byte[] wrappedKey, byte[] associatedData) throws GeneralSecurityException;
}
