// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeyTest {
  // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72)
  private static final String SEED_1 =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String PUBLIC_1 =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String SIGNATURE_1 =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
  private static final String SEED_2 =
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
  private static final String PUBLIC_2 =
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
  private static final String SIGNATURE_2 =
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

  @Test
  void sign_rfc8032Vectors_matchAndVerify() {
    Ed25519Key one = Ed25519Key.fromSeed(Hex.decode(SEED_1));
    assertThat(Hex.encode(one.publicKey())).isEqualTo(PUBLIC_1);
    assertThat(Hex.encode(one.sign(new byte[0]))).isEqualTo(SIGNATURE_1);
    assertThat(Ed25519Key.verify(Hex.decode(PUBLIC_1), new byte[0], Hex.decode(SIGNATURE_1)))
        .isTrue();
    Ed25519Key two = Ed25519Key.fromSeed(Hex.decode(SEED_2));
    assertThat(Hex.encode(two.publicKey())).isEqualTo(PUBLIC_2);
    assertThat(Hex.encode(two.sign(new byte[] {0x72}))).isEqualTo(SIGNATURE_2);
  }

  @Test
  void verify_tamperedOrMalformed_isFalse() {
    byte[] signature = Hex.decode(SIGNATURE_2);
    byte[] key = Hex.decode(PUBLIC_2);
    assertThat(Ed25519Key.verify(key, new byte[] {0x73}, signature)).isFalse();
    signature[5] ^= 1;
    assertThat(Ed25519Key.verify(key, new byte[] {0x72}, signature)).isFalse();
    assertThat(Ed25519Key.verify(new byte[31], new byte[] {0x72}, Hex.decode(SIGNATURE_2)))
        .isFalse();
    assertThat(Ed25519Key.verify(key, new byte[] {0x72}, new byte[63])).isFalse();
    assertThat(Ed25519Key.verify(Hex.decode(PUBLIC_1), new byte[] {0x72}, Hex.decode(SIGNATURE_2)))
        .isFalse();
  }

  @Test
  void loadOrCreate_writesOwnerOnlyPkcs8Pem_andLoadsTheSameKey(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("keys").resolve("checkpoint.pem");
    Ed25519Key created = Ed25519Key.loadOrCreate(file);
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    assertThat(pem)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    Ed25519Key loaded = Ed25519Key.loadOrCreate(file);
    assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
    assertThat(loaded.sign(new byte[] {1, 2, 3})).isEqualTo(created.sign(new byte[] {1, 2, 3}));
    assertThat(created.toString()).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void load_rfc8410Pkcs8Example_hasItsPublicKey(@TempDir Path dir) throws IOException {
    // RFC 8410 section 10.3 private key; its public key is the one of section 10.1
    Path file = dir.resolve("rfc8410.pem");
    Files.writeString(
        file,
        "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
            + "-----END PRIVATE KEY-----\n");
    assertThat(Hex.encode(Ed25519Key.load(file).publicKey()))
        .isEqualTo("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
  }

  @Test
  void load_notEd25519_isRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ec.pem");
    PemKeys.writePrivateKey(file, CertBuilder.ecKeyPair("secp256r1").getPrivate());
    assertThatThrownBy(() -> Ed25519Key.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an Ed25519 private key");
    assertThatThrownBy(() -> Ed25519Key.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
