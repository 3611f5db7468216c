// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Envelope encryption: round trip, and every kind of tampering or wrong key fails to open. */
class EnvelopeTest {
  private static final byte[] VALUE =
      "postgres://app:hunter2@db/payments".getBytes(StandardCharsets.UTF_8);

  private static LocalMasterKey randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new LocalMasterKey(bytes);
  }

  @Test
  void seal_thenOpen_returnsTheValue_andCiphertextHidesIt() throws Exception {
    LocalMasterKey key = randomKey();
    SealedSecret sealed = Envelope.seal(key, "db-password", 1, VALUE);
    assertThat(Envelope.open(key, "db-password", 1, sealed)).isEqualTo(VALUE);
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain("hunter2");
    assertThat(sealed.ciphertext()).hasSize(VALUE.length + 16);
    assertThat(sealed.keyId()).isEqualTo(key.keyId()).startsWith("local:");
  }

  @Test
  void seal_sameValueTwice_usesFreshDataKeysAndIvs() throws Exception {
    LocalMasterKey key = randomKey();
    SealedSecret first = Envelope.seal(key, "a", 1, VALUE);
    SealedSecret second = Envelope.seal(key, "a", 1, VALUE);
    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    assertThat(first.wrappedKey()).isNotEqualTo(second.wrappedKey());
    assertThat(first.iv()).isNotEqualTo(second.iv());
  }

  @Test
  void open_tamperedCiphertext_fails() throws Exception {
    LocalMasterKey key = randomKey();
    SealedSecret sealed = Envelope.seal(key, "a", 1, VALUE);
    byte[] ciphertext = sealed.ciphertext();
    ciphertext[3] ^= 0x01;
    SealedSecret tampered =
        new SealedSecret(sealed.keyId(), sealed.wrappedKey(), sealed.iv(), ciphertext);
    assertThatThrownBy(() -> Envelope.open(key, "a", 1, tampered))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void open_tamperedIvOrWrappedKey_fails() throws Exception {
    LocalMasterKey key = randomKey();
    SealedSecret sealed = Envelope.seal(key, "a", 1, VALUE);
    byte[] iv = sealed.iv();
    iv[0] ^= 0x01;
    byte[] wrapped = sealed.wrappedKey();
    wrapped[wrapped.length - 1] ^= 0x01;
    assertThatThrownBy(() ->
            Envelope.open(
                key,
                "a",
                1,
                new SealedSecret(sealed.keyId(), sealed.wrappedKey(), iv, sealed.ciphertext())))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() ->
            Envelope.open(
                key,
                "a",
                1,
                new SealedSecret(sealed.keyId(), wrapped, sealed.iv(), sealed.ciphertext())))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void open_otherNameOrVersion_failsBecauseTheAssociatedDataDiffers() throws Exception {
    LocalMasterKey key = randomKey();
    SealedSecret sealed = Envelope.seal(key, "a", 1, VALUE);
    assertThatThrownBy(() -> Envelope.open(key, "b", 1, sealed))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> Envelope.open(key, "a", 2, sealed))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void open_wrappedKeySwappedBetweenSecrets_fails() throws Exception {
    LocalMasterKey key = randomKey();
    SealedSecret a = Envelope.seal(key, "a", 1, VALUE);
    SealedSecret b = Envelope.seal(key, "b", 1, VALUE);
    SealedSecret swapped = new SealedSecret(a.keyId(), b.wrappedKey(), a.iv(), a.ciphertext());
    assertThatThrownBy(() -> Envelope.open(key, "a", 1, swapped))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void open_wrongMasterKey_fails_evenWhenItClaimsTheSameId() throws Exception {
    LocalMasterKey right = randomKey();
    LocalMasterKey wrong = randomKey();
    SealedSecret sealed = Envelope.seal(right, "a", 1, VALUE);
    assertThatThrownBy(() -> Envelope.open(wrong, "a", 1, sealed))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("wrapped by key " + right.keyId());
    KeyProvider impostor =
        new KeyProvider() {
          @Override
          public String keyId() {
            return right.keyId();
          }

          @Override
          public byte[] wrap(byte[] dataKey, byte[] associatedData)
              throws GeneralSecurityException {
            return wrong.wrap(dataKey, associatedData);
          }

          @Override
          public byte[] unwrap(byte[] wrappedKey, byte[] associatedData)
              throws GeneralSecurityException {
            return wrong.unwrap(wrappedKey, associatedData);
          }
        };
    assertThatThrownBy(() -> Envelope.open(impostor, "a", 1, sealed))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void masterKey_isCreatedOwnerOnly_andReloadsTheSameKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master-key.bin");
    LocalMasterKey created = LocalMasterKey.loadOrCreate(file);
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    LocalMasterKey loaded = LocalMasterKey.loadOrCreate(file);
    assertThat(loaded.keyId()).isEqualTo(created.keyId());
    SealedSecret sealed = Envelope.seal(created, "a", 1, VALUE);
    assertThat(Envelope.open(loaded, "a", 1, sealed)).isEqualTo(VALUE);
    Files.write(file, new byte[31]);
    assertThatThrownBy(() -> LocalMasterKey.loadOrCreate(file))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void handle_revealsOnlyWithAGrantForItself_andNeverPrintsTheValue() throws Exception {
    LocalMasterKey key = randomKey();
    SecretHandle handle = new SecretHandle("a", 2, Envelope.seal(key, "a", 2, VALUE), key);
    assertThat(handle.toString()).doesNotContain("hunter2").contains("<redacted>");
    assertThat(handle.reveal(new ReleaseGrant("a", 2))).isEqualTo(VALUE);
    assertThatThrownBy(() -> handle.reveal(new ReleaseGrant("b", 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> handle.reveal(new ReleaseGrant("a", 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
