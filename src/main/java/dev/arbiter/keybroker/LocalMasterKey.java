// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.PemKeys;
import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The default {@link KeyProvider}: a 32-byte AES-256 master key in the data directory
 * ({@code master-key.bin}, mode 600, created on first start). Data keys are wrapped with
 * AES-256-GCM under a fresh 12-byte IV; the wrapped form is {@code iv || ciphertext || tag}.
 * Replicas sharing one database need the same file. Thread-safe.
 */
public final class LocalMasterKey implements KeyProvider {
  static final int KEY_LENGTH = 32;
  private static final int IV_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String keyId;

  LocalMasterKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_LENGTH) {
      throw new IllegalArgumentException("the master key must be exactly 32 bytes");
    }
    this.key = new SecretKeySpec(keyBytes, "AES");
    byte[] check = Digests.sha256(concat("arbiter master key id\0".getBytes(StandardCharsets.US_ASCII), keyBytes));
    this.keyId = "local:" + Hex.encode(check, 0, 8);
  }

  /** Loads the master key from {@code file}, creating 32 random bytes (mode 600) when absent. */
  public static LocalMasterKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] fresh = new byte[KEY_LENGTH];
      RANDOM.nextBytes(fresh);
      PemKeys.writeSecret(file, fresh);
      Arrays.fill(fresh, (byte) 0);
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      if (bytes.length != KEY_LENGTH) {
        throw new IOException("master key " + file + " must hold exactly 32 bytes, not " + bytes.length);
      }
      return new LocalMasterKey(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] associatedData) throws GeneralSecurityException {
    byte[] iv = new byte[IV_LENGTH];
    RANDOM.nextBytes(iv);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(associatedData);
    return concat(iv, cipher.doFinal(dataKey));
  }

  @Override
  public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) throws GeneralSecurityException {
    if (wrappedKey.length < IV_LENGTH + TAG_BITS / 8) {
      throw new GeneralSecurityException("wrapped key is too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrappedKey, 0, IV_LENGTH));
    cipher.updateAAD(associatedData);
    return cipher.doFinal(wrappedKey, IV_LENGTH, wrappedKey.length - IV_LENGTH);
  }

  @Override
  public String toString() {
    return "LocalMasterKey[" + keyId + "]";
  }

  static byte[] concat(byte[] first, byte[] second) {
    byte[] out = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
