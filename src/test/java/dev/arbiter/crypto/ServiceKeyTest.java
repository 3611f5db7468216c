// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceKeyTest {
  private static final byte[] MESSAGE = "header.claims".getBytes(StandardCharsets.US_ASCII);

  /** ES256 (r||s) checked by the JDK's own provider, independently of where the key signed. */
  private static boolean verifiesWithSunEc(ServiceKey key, byte[] message, byte[] signature)
      throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
    verifier.initVerify(key.publicJwk().toECPublicKey());
    verifier.update(message);
    return verifier.verify(signature);
  }

  @Test
  void sign_fileKey_isEs256ThatAnotherProviderVerifies() throws Exception {
    ServiceKey key = ServiceKey.generate();

    byte[] first = key.signRaw(MESSAGE);
    byte[] second = key.signRaw(MESSAGE);

    assertThat(first).hasSize(64);
    assertThat(verifiesWithSunEc(key, MESSAGE, first)).isTrue();
    assertThat(verifiesWithSunEc(key, MESSAGE, second)).isTrue();
    assertThat(first).as("a fresh nonce per signature").isNotEqualTo(second);
    assertThat(ServiceKey.verify(key.publicJwk(), MESSAGE, key.sign(MESSAGE))).isTrue();
    byte[] other = Arrays.copyOf(MESSAGE, MESSAGE.length + 1);
    assertThat(verifiesWithSunEc(key, other, first)).isFalse();
    assertThat(ServiceKey.verify(ServiceKey.generate().publicJwk(), MESSAGE, key.sign(MESSAGE)))
        .isFalse();
  }

  @Test
  void fileKey_isHeldByTheFastProviderWhenItLoads() {
    ServiceKey key = ServiceKey.generate();

    assertThat(Providers.ownKey(CertBuilder.ecKeyPair("secp256r1").getPrivate()).isPresent())
        .isEqualTo(Providers.fast().isPresent());
    assertThat(ServiceKey.verify(key.publicJwk(), MESSAGE, key.sign(MESSAGE))).isTrue();
  }

  @Test
  void loadOrCreate_savedKey_signsAsTheSameKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("service-key.pem");
    ServiceKey created = ServiceKey.loadOrCreate(file);

    ServiceKey loaded = ServiceKey.loadOrCreate(file);

    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(loaded.keyId()).isEqualTo(created.keyId());
    assertThat(verifiesWithSunEc(created, MESSAGE, loaded.signRaw(MESSAGE))).isTrue();
    assertThat(ServiceKey.verify(created.publicJwk(), MESSAGE, loaded.sign(MESSAGE))).isTrue();
  }
}
