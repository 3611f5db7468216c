// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  private static final byte[] AAD = "purpose".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAINTEXT = "the secret value".getBytes(StandardCharsets.UTF_8);

  @Test
  void encryptDecrypt_roundTrip_returnsPlaintextUnderFreshIvs() throws Exception {
    byte[] key = AesGcm.newKey();
    AesGcm.Sealed first = AesGcm.encrypt(key, PLAINTEXT, AAD);
    AesGcm.Sealed second = AesGcm.encrypt(key, PLAINTEXT, AAD);
    assertThat(first.iv()).hasSize(AesGcm.IV_LENGTH).isNotEqualTo(second.iv());
    assertThat(first.ciphertext()).hasSize(PLAINTEXT.length + AesGcm.TAG_LENGTH);
    assertThat(AesGcm.decrypt(key, first.iv(), first.ciphertext(), AAD)).isEqualTo(PLAINTEXT);
    assertThat(AesGcm.open(key, AesGcm.seal(key, PLAINTEXT, AAD), AAD)).isEqualTo(PLAINTEXT);
  }

  @Test
  void open_tamperedCiphertextTagOrIv_fails() throws Exception {
    byte[] key = AesGcm.newKey();
    byte[] blob = AesGcm.seal(key, PLAINTEXT, AAD);
    for (int index : new int[] {0, AesGcm.IV_LENGTH, blob.length - 1}) {
      byte[] tampered = blob.clone();
      tampered[index] ^= 1;
      assertThatThrownBy(() -> AesGcm.open(key, tampered, AAD))
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void open_wrongAssociatedDataOrKey_fails() throws Exception {
    byte[] key = AesGcm.newKey();
    byte[] blob = AesGcm.seal(key, PLAINTEXT, AAD);
    assertThatThrownBy(() -> AesGcm.open(key, blob, "other".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> AesGcm.open(AesGcm.newKey(), blob, AAD))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void open_shortInputOrWrongKeyLength_fails() {
    assertThatThrownBy(() ->
            AesGcm.open(AesGcm.newKey(), new byte[AesGcm.IV_LENGTH + AesGcm.TAG_LENGTH - 1], AAD))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> AesGcm.seal(new byte[16], PLAINTEXT, AAD))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
