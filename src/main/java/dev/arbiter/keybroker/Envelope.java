// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.crypto.AesGcm;
import dev.arbiter.internal.Jcs;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;

/**
 * Envelope encryption of secret values: a fresh AES-256 data key per secret version encrypts the
 * value with AES-256-GCM; the key provider wraps the data key. Both layers take the same associated
 * data, the JCS form of {@code {"purpose":"arbiter-secret/v1","name":N,"version":V}}, so a
 * ciphertext moved to another name or version (or a wrapped key swapped between rows) fails to
 * open. Stateless and thread-safe.
 */
final class Envelope {
  private Envelope() {}

  static byte[] associatedData(String name, int version) {
    return Jcs.canonicalize(
        Map.of("purpose", "arbiter-secret/v1", "name", name, "version", version));
  }

  static SealedSecret seal(KeyProvider keys, String name, int version, byte[] plaintext)
      throws GeneralSecurityException {
    byte[] aad = associatedData(name, version);
    byte[] dataKey = AesGcm.newKey();
    try {
      AesGcm.Sealed sealed = AesGcm.encrypt(dataKey, plaintext, aad);
      return new SealedSecret(
          keys.keyId(), keys.wrap(dataKey, aad), sealed.iv(), sealed.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /** Opens a sealed value; any tampering, a different name/version or a different key fails. */
  static byte[] open(KeyProvider keys, String name, int version, SealedSecret sealed)
      throws GeneralSecurityException {
    if (!sealed.keyId().equals(keys.keyId())) {
      throw new GeneralSecurityException(
          "the secret was wrapped by key "
              + sealed.keyId()
              + ", this server holds "
              + keys.keyId());
    }
    byte[] aad = associatedData(name, version);
    byte[] dataKey = keys.unwrap(sealed.wrappedKey(), aad);
    try {
      if (dataKey.length != AesGcm.KEY_LENGTH) {
        throw new GeneralSecurityException("unwrapped data key has the wrong length");
      }
      return AesGcm.decrypt(dataKey, sealed.iv(), sealed.ciphertext(), aad);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }
}
