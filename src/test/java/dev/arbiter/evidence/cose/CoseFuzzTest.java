// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.PublicKeys;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/**
 * Fuzzes the strict CBOR decoder, COSE_Sign1 decoding and verification, COSE_Key decoding and the
 * key-file parser: bad input must give a typed problem (or {@link GeneralSecurityException} for key
 * files), never another exception. The committed corpus is replayed in the normal test run.
 */
class CoseFuzzTest {
  private static final KeyPair KEY = CertBuilder.ecKeyPair("secp384r1");

  @FuzzTest
  void coseSign1(byte[] data) {
    try {
      CoseSign1 cose =
          CoseSign1.decode(data, 64 * 1024, CoseSign1.Tagging.TAGGED_OR_UNTAGGED, "fuzz input");
      cose.verify(KEY.getPublic());
      CborMap.decode(cose.payload(), 64 * 1024, "fuzz payload")
          .rejectUnknown(java.util.Set.of(1, 2, "a"));
    } catch (ProblemException expected) {
      // typed rejection
    }
  }

  @FuzzTest
  void coseKey(byte[] data) {
    try {
      CoseKeys.decode(data, "fuzz key");
    } catch (ProblemException expected) {
      // typed rejection
    }
  }

  @FuzzTest
  void keyFile(byte[] data) {
    try {
      PublicKeys.parse(data);
    } catch (GeneralSecurityException expected) {
      // typed rejection
    }
  }

  /** Regenerates the committed corpus: {@code main(<repo>/src/test/resources)}. */
  public static void main(String[] args) throws IOException {
    Path base = Path.of(args[0], "dev/arbiter/evidence/cose/CoseFuzzTestInputs");
    byte[] signed =
        CoseFixtures.sign1(
            CoseAlgorithm.ES384, KEY.getPrivate(), new byte[] {(byte) 0xa1, 0x01, 0x02}, true);
    write(base.resolve("coseSign1"), "valid-tagged", signed);
    write(base.resolve("coseSign1"), "truncated", java.util.Arrays.copyOf(signed, 20));
    write(
        base.resolve("coseSign1"),
        "indefinite-array",
        new byte[] {(byte) 0x9f, 0x40, (byte) 0xa0, 0x40, 0x40, (byte) 0xff});
    write(
        base.resolve("coseSign1"),
        "huge-length",
        new byte[] {
          (byte) 0x84,
          0x5b,
          0x7f,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff
        });
    write(base.resolve("coseSign1"), "deep-nesting", nested(40));
    write(
        base.resolve("coseSign1"),
        "bignum-tag",
        new byte[] {(byte) 0xc2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0});
    try {
      byte[] coseKey =
          CoseKeys.toMap((java.security.interfaces.ECPublicKey) KEY.getPublic()).EncodeToBytes();
      write(base.resolve("coseKey"), "valid-p384", coseKey);
      write(base.resolve("coseKey"), "off-curve", CoseFixtures.flip(coseKey, coseKey.length - 1));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    write(
        base.resolve("keyFile"),
        "jwk-p256",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"TKRFE_RwSXooI8DdatPOYg_uiKm2XrtT_uEMEvqQZrw\",\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"}"
            .getBytes());
    write(
        base.resolve("keyFile"),
        "pem-truncated",
        "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE\n-----END PUBLIC KEY-----\n"
            .getBytes());
    write(
        base.resolve("keyFile"),
        "pem-bad-base64",
        "-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----\n".getBytes());
    write(
        base.resolve("keyFile"),
        "anchor-list",
        "[{\"instance-id\":\"01\",\"pkey\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}}]"
            .getBytes());
  }

  static byte[] nested(int depth) {
    byte[] out = new byte[depth + 1];
    java.util.Arrays.fill(out, (byte) 0x81);
    out[depth] = 0x00;
    return out;
  }

  static void write(Path dir, String name, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), bytes);
  }
}
