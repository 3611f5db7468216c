// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * One stored secret version, still sealed. Its plaintext can be read only through {@link
 * #reveal(ReleaseGrant)} with a grant for exactly this name and version, which only the release
 * path issues after a successful check; decryption happens then and not before. {@code toString}
 * never shows the value. Immutable and thread-safe.
 */
public final class SecretHandle {
  private final String name;
  private final int version;
  private final SealedSecret sealed;
  private final KeyProvider keys;

  SecretHandle(String name, int version, SealedSecret sealed, KeyProvider keys) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = version;
    this.sealed = Objects.requireNonNull(sealed, "sealed");
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  /**
   * Decrypts the value. The caller owns the returned array and should overwrite it when done.
   *
   * @throws IllegalArgumentException when the grant is for another secret or version
   * @throws GeneralSecurityException when the stored value does not open (tampered, or wrapped by
   *     another master key)
   */
  public byte[] reveal(ReleaseGrant grant) throws GeneralSecurityException {
    Objects.requireNonNull(grant, "grant");
    if (!grant.name().equals(name) || grant.version() != version) {
      throw new IllegalArgumentException(
          "the grant is for "
              + grant.name()
              + " v"
              + grant.version()
              + ", not "
              + name
              + " v"
              + version);
    }
    return Envelope.open(keys, name, version, sealed);
  }

  @Override
  public String toString() {
    return "SecretHandle[" + name + " v" + version + ", value=<redacted>]";
  }
}
