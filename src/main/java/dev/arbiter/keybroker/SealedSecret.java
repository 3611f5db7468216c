// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import java.util.Objects;

/**
 * One secret version as stored at rest (the {@code secret} table): nothing here is secret without
 * the master key.
 *
 * @param keyId the {@link KeyProvider#keyId()} that wrapped the data key
 * @param wrappedKey the AES-256 data key, wrapped by the key provider (bound to name and version)
 * @param iv the 12-byte AES-GCM IV of the value
 * @param ciphertext the value under the data key, AES-256-GCM ({@code ciphertext || tag}), bound to
 *     name and version
 */
record SealedSecret(String keyId, byte[] wrappedKey, byte[] iv, byte[] ciphertext) {
  SealedSecret {
    Objects.requireNonNull(keyId, "keyId");
    wrappedKey = wrappedKey.clone();
    iv = iv.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  @Override
  public byte[] iv() {
    return iv.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedSecret that
        && keyId.equals(that.keyId)
        && java.util.Arrays.equals(wrappedKey, that.wrappedKey)
        && java.util.Arrays.equals(iv, that.iv)
        && java.util.Arrays.equals(ciphertext, that.ciphertext);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "SealedSecret[key=" + keyId + ", " + ciphertext.length + " bytes]";
  }
}
