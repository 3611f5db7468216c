// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.internal.Jcs;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of secret values: a fresh AES-256 data key per secret version encrypts the
 * value with AES-256-GCM; the key provider wraps the data key. Both layers take the same associated
 * data, the JCS form of {@code {"purpose":"arbiter-secret/v1","name":N,"version":V}}, so a
 * ciphertext moved to another name or version (or a wrapped key swapped between rows) fails to
 * open. Stateless and thread-safe.
 */
final class Envelope {
  private static final int IV_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Envelope() {}

  static byte[] associatedData(String name, int version) {
    return Jcs.canonicalize(Map.of("purpose", "arbiter-secret/v1", "name", name, "version", version));
  }

  static SealedSecret seal(KeyProvider keys, String name, int version, byte[] plaintext) throws GeneralSecurityException {
    byte[] aad = associatedData(name, version);
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    try {
      byte[] iv = new byte[IV_LENGTH];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad);
      byte[] ciphertext = cipher.doFinal(plaintext);
      return new SealedSecret(keys.keyId(), keys.wrap(dataKey, aad), iv, ciphertext);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /** Opens a sealed value; any tampering, a different name/version or a different key fails. */
  static byte[] open(KeyProvider keys, String name, int version, SealedSecret sealed) throws GeneralSecurityException {
    if (!sealed.keyId().equals(keys.keyId())) {
      throw new GeneralSecurityException("the secret was wrapped by key " + sealed.keyId() + ", this server holds " + keys.keyId());
    }
    byte[] aad = associatedData(name, version);
    byte[] dataKey = keys.unwrap(sealed.wrappedKey(), aad);
    try {
      if (dataKey.length != 32) {
        throw new GeneralSecurityException("unwrapped data key has the wrong length");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, sealed.iv()));
      cipher.updateAAD(aad);
      return cipher.doFinal(sealed.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }
}
