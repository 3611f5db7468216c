// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 (RFC 8032) signing key, used for transparency-log checkpoints (C2SP signed notes,
 * signature type 0x01). On disk it is a PKCS#8 {@code PRIVATE KEY} PEM written owner-only (mode
 * 600). The seed never leaves this class except to sign; {@link #toString} shows only the public
 * key. Thread-safe.
 */
public final class Ed25519Key {
  /** Length of a raw public key, a seed and half a signature. */
  public static final int KEY_LENGTH = 32;

  /** Length of a signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;

  private Ed25519Key(byte[] seed) {
    if (seed.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
    this.publicKey = privateKey.generatePublicKey().getEncoded();
  }

  /** A new random key. */
  public static Ed25519Key generate() {
    byte[] seed = new byte[KEY_LENGTH];
    new SecureRandom().nextBytes(seed);
    try {
      return new Ed25519Key(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * The key of an RFC 8032 32-byte seed (the "private key" of RFC 8032 and Go's {@code
   * ed25519.NewKeyFromSeed}).
   */
  public static Ed25519Key fromSeed(byte[] seed) {
    return new Ed25519Key(seed.clone());
  }

  /** Loads the key from {@code file}, creating it (mode 600) when absent. */
  public static Ed25519Key loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    Ed25519Key key = generate();
    key.save(file);
    return key;
  }

  /** Reads a PKCS#8 PEM Ed25519 private key. */
  public static Ed25519Key load(Path file) throws IOException {
    PrivateKey key;
    try {
      key = PemKeys.readPrivateKey(file);
    } catch (IOException e) {
      throw new IOException("cannot read Ed25519 key " + file + ": " + e.getMessage(), e);
    }
    if (!(key instanceof EdECPrivateKey edec)
        || !"Ed25519".equalsIgnoreCase(edec.getParams().getName())) {
      throw new IOException("not an Ed25519 private key: " + file);
    }
    byte[] seed =
        edec.getBytes().orElseThrow(() -> new IOException("Ed25519 key without its seed: " + file));
    try {
      return new Ed25519Key(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Writes the key as PKCS#8 PEM, owner-only, atomically (temporary file and move). */
  public void save(Path file) throws IOException {
    byte[] seed = privateKey.getEncoded();
    try {
      PrivateKey jca =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
      PemKeys.writePrivateKey(file, jca);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot encode an Ed25519 key", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The 32-byte RFC 8032 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 64-byte RFC 8032 signature of {@code message} (deterministic). */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /**
   * Verifies an RFC 8032 signature; false (never an exception) for a malformed key or signature.
   * Rejects non-canonical S values, like Go's {@code crypto/ed25519}.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "Ed25519Key[public=" + java.util.Base64.getEncoder().encodeToString(publicKey) + "]";
  }
}
