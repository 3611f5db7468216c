// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import dev.arbiter.internal.Encodings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Arbiter's signing key (EC P-256, ES256): signs policy revisions, audit records and Attestation
 * Results. Its id is the RFC 7638 JWK thumbprint. The private key lives in the data directory
 * ({@code service-key.pem}, PKCS#8, mode 600) and never leaves this class except to sign.
 * Thread-safe.
 */
public final class ServiceKey {
  private final ECPrivateKey privateKey;
  private final ECKey publicJwk;

  private ServiceKey(KeyPair pair) {
    this.privateKey = (ECPrivateKey) pair.getPrivate();
    try {
      ECKey jwk =
          new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
              .build();
      this.publicJwk = new ECKey.Builder(jwk).keyID(jwk.computeThumbprint().toString()).build();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ServiceKey generate() {
    return new ServiceKey(CertBuilder.ecKeyPair("secp256r1"));
  }

  /** Loads the key from {@code file}, creating it (mode 600) when absent. */
  public static ServiceKey loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    ServiceKey key = generate();
    key.save(file);
    return key;
  }

  public static ServiceKey load(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    List<Certificates.PemBlock> blocks = Certificates.pemBlocks(pem);
    if (blocks.isEmpty() || !blocks.get(0).label().equals("PRIVATE KEY")) {
      throw new IOException("not a PKCS#8 PRIVATE KEY PEM: " + file);
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      ECPrivateKey priv =
          (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).der()));
      return new ServiceKey(new KeyPair(PemKeys.publicFromPrivate(priv), priv));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load service key " + file + ": " + e.getMessage(), e);
    }
  }

  public void save(Path file) throws IOException {
    PemKeys.writePrivateKey(file, privateKey);
  }

  public String keyId() {
    return publicJwk.getKeyID();
  }

  /** The public key as a JWK (with kid, use and alg). */
  public ECKey publicJwk() {
    return publicJwk;
  }

  public PrivateKey privateKeyForJose() {
    return privateKey;
  }

  /** ES256 over {@code message}; returns base64url (no padding) of the 64-byte r||s signature. */
  public String sign(byte[] message) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(privateKey);
      signer.update(message);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("service key cannot sign", e);
    }
  }

  /** Verifies a {@link #sign} signature against a public JWK. */
  public static boolean verify(ECKey publicJwk, byte[] message, String signature) {
    try {
      byte[] raw = Encodings.base64Url(signature);
      return Providers.verify(
          "SHA256withECDSAinP1363Format", publicJwk.toECPublicKey(), message, raw);
    } catch (JOSEException | IllegalArgumentException e) {
      return false;
    }
  }
}
