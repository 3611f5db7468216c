// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/** Private keys as PKCS#8 PEM files, written owner-only. */
public final class PemKeys {
  private PemKeys() {}

  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    writeSecret(file, pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes a file readable only by its owner (where the file system supports POSIX modes). */
  public static void writeSecret(Path file, byte[] content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".tmp-", ".key");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // non-POSIX file system: rely on the directory's permissions
      }
      Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(
          temp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    List<Certificates.PemBlock> blocks =
        Certificates.pemBlocks(Files.readString(file, StandardCharsets.US_ASCII));
    if (blocks.isEmpty() || !blocks.get(0).label().equals("PRIVATE KEY")) {
      throw new IOException("not a PKCS#8 PRIVATE KEY PEM: " + file);
    }
    byte[] der = blocks.get(0).der();
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException("unsupported private key in " + file);
  }

  /** Derives the public key of an EC private key (Q = d·G). */
  public static PublicKey publicFromPrivate(ECPrivateKey key) throws GeneralSecurityException {
    String curve =
        key.getParams().getCurve().getField().getFieldSize() > 256 ? "secp384r1" : "secp256r1";
    ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(curve);
    var q = spec.getG().multiply(key.getS()).normalize();
    ECPoint point =
        new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, key.getParams()));
  }
}
