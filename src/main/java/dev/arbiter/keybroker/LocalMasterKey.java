// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.crypto.AesGcm;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.PemKeys;
import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The default {@link KeyProvider}: a 32-byte AES-256 master key in the data directory ({@code
 * master-key.bin}, mode 600, created on first start). Data keys are wrapped with AES-256-GCM under
 * a fresh 12-byte IV; the wrapped form is {@code iv || ciphertext || tag}. Replicas sharing one
 * database need the same file. Thread-safe.
 */
public final class LocalMasterKey implements KeyProvider {
  static final int KEY_LENGTH = AesGcm.KEY_LENGTH;

  private final byte[] key;
  private final String keyId;

  LocalMasterKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_LENGTH) {
      throw new IllegalArgumentException("the master key must be exactly 32 bytes");
    }
    this.key = keyBytes.clone();
    byte[] check =
        Digests.sha256(
            concat("arbiter master key id\0".getBytes(StandardCharsets.US_ASCII), keyBytes));
    this.keyId = "local:" + Hex.encode(check, 0, 8);
  }

  /** Loads the master key from {@code file}, creating 32 random bytes (mode 600) when absent. */
  public static LocalMasterKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] fresh = AesGcm.newKey();
      PemKeys.writeSecret(file, fresh);
      Arrays.fill(fresh, (byte) 0);
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      if (bytes.length != KEY_LENGTH) {
        throw new IOException(
            "master key " + file + " must hold exactly 32 bytes, not " + bytes.length);
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
    return AesGcm.seal(key, dataKey, associatedData);
  }

  @Override
  public byte[] unwrap(byte[] wrappedKey, byte[] associatedData) throws GeneralSecurityException {
    if (wrappedKey.length < AesGcm.IV_LENGTH + AesGcm.TAG_LENGTH) {
      throw new GeneralSecurityException("wrapped key is too short");
    }
    return AesGcm.open(key, wrappedKey, associatedData);
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
