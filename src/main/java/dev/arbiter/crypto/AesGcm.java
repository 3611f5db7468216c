// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh random 96-bit IV per encryption and a 128-bit tag, always with
 * associated data. The one authenticated-encryption helper of Arbiter (secret envelopes, wrapped
 * data keys). Opening fails with a {@link GeneralSecurityException} on any change to the IV,
 * ciphertext, tag, associated data or key. Stateless and thread-safe.
 */
public final class AesGcm {
  /** Key length in bytes (AES-256). */
  public static final int KEY_LENGTH = 32;

  /** IV length in bytes. */
  public static final int IV_LENGTH = 12;

  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private AesGcm() {}

  /** An IV and the ciphertext with its tag appended. */
  public record Sealed(byte[] iv, byte[] ciphertext) {}

  /** A fresh random AES-256 key; the caller zeroes it after use. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_LENGTH];
    RANDOM.nextBytes(key);
    return key;
  }

  /** Encrypts under a fresh random IV. */
  public static Sealed encrypt(byte[] key, byte[] plaintext, byte[] associatedData)
      throws GeneralSecurityException {
    byte[] iv = new byte[IV_LENGTH];
    RANDOM.nextBytes(iv);
    return new Sealed(iv, cipher(Cipher.ENCRYPT_MODE, key, iv, associatedData).doFinal(plaintext));
  }

  /** Decrypts and authenticates {@code ciphertext} (tag appended). */
  public static byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext, byte[] associatedData)
      throws GeneralSecurityException {
    if (iv.length != IV_LENGTH) {
      throw new GeneralSecurityException("AES-GCM IV must be " + IV_LENGTH + " bytes");
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new GeneralSecurityException("AES-GCM ciphertext is shorter than its tag");
    }
    return cipher(Cipher.DECRYPT_MODE, key, iv, associatedData).doFinal(ciphertext);
  }

  /** Encrypts into the single-blob form {@code iv || ciphertext || tag}. */
  public static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData)
      throws GeneralSecurityException {
    Sealed sealed = encrypt(key, plaintext, associatedData);
    byte[] out = Arrays.copyOf(sealed.iv(), IV_LENGTH + sealed.ciphertext().length);
    System.arraycopy(sealed.ciphertext(), 0, out, IV_LENGTH, sealed.ciphertext().length);
    return out;
  }

  /** Opens the single-blob form {@code iv || ciphertext || tag}. */
  public static byte[] open(byte[] key, byte[] blob, byte[] associatedData)
      throws GeneralSecurityException {
    if (blob.length < IV_LENGTH + TAG_LENGTH) {
      throw new GeneralSecurityException("AES-GCM blob is too short");
    }
    return decrypt(
        key,
        Arrays.copyOf(blob, IV_LENGTH),
        Arrays.copyOfRange(blob, IV_LENGTH, blob.length),
        associatedData);
  }

  private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] associatedData)
      throws GeneralSecurityException {
    if (key.length != KEY_LENGTH) {
      throw new GeneralSecurityException("AES-256 key must be " + KEY_LENGTH + " bytes");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, iv));
    cipher.updateAAD(associatedData);
    return cipher;
  }
}
