// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
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
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Arbiter's signing key (EC P-256, ES256): signs policy revisions, audit records and Attestation
 * Results. Its id is the RFC 7638 JWK thumbprint. The private key lives either in the data
 * directory ({@code service-key.pem}, PKCS#8, mode 600) and never leaves this class except to sign,
 * or in a PKCS#11 token ({@link #fromToken}), where it never leaves the token: signatures are made
 * by the token through the JDK's SunPKCS11 provider. Thread-safe.
 */
public final class ServiceKey {
  private static final int P256_SIGNATURE_BYTES = 64;

  private static final String ES256_RAW = "SHA256withECDSAinP1363Format";

  private final PrivateKey privateKey;

  /**
   * {@link #privateKey} as the fast provider's own key, for signing a file key there (every EAR is
   * signed: ~15 us per signature against ~130 us with SunEC here, and a key the provider does not
   * own would be converted on every {@code initSign}); empty for a token key or without the
   * provider.
   */
  private final Optional<PrivateKey> fastKey;

  private final ECKey publicJwk;

  /** The PKCS#11 provider holding {@link #privateKey}; empty for a key from a file. */
  private final Optional<Provider> token;

  private ServiceKey(PrivateKey privateKey, ECPublicKey publicKey, Optional<Provider> token) {
    this.privateKey = privateKey;
    this.token = token;
    this.fastKey = token.isPresent() ? Optional.empty() : Providers.ownKey(privateKey);
    try {
      ECKey jwk =
          new ECKey.Builder(Curve.P_256, publicKey)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
              .build();
      this.publicJwk = new ECKey.Builder(jwk).keyID(jwk.computeThumbprint().toString()).build();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ServiceKey ofFile(KeyPair pair) {
    return new ServiceKey(pair.getPrivate(), (ECPublicKey) pair.getPublic(), Optional.empty());
  }

  /** A key held by {@code provider} (a configured SunPKCS11 instance). */
  static ServiceKey ofToken(PrivateKey privateKey, ECPublicKey publicKey, Provider provider) {
    return new ServiceKey(privateKey, publicKey, Optional.of(provider));
  }

  public static ServiceKey generate() {
    return ofFile(CertBuilder.ecKeyPair("secp256r1"));
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
      return ofFile(new KeyPair(PemKeys.publicFromPrivate(priv), priv));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException("cannot load service key " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The EC P-256 private key labelled {@code label} in the PKCS#11 token that the SunPKCS11
   * configuration file {@code config} names, logging in with {@code pin}. The token must hold a
   * certificate for the key (with the same label): its public key is the service key's public key.
   * Without a label the token must hold exactly one key with a certificate. The key is checked by
   * signing a probe with it.
   *
   * @throws TokenException when the provider, token, PIN or key cannot be used (the message names
   *     which, never the PIN)
   */
  public static ServiceKey fromToken(Path config, Optional<String> label, char[] pin)
      throws IOException {
    return Pkcs11Keys.serviceKey(config, label, pin);
  }

  /** Writes the private key (PKCS#8 PEM, mode 600); a token key cannot leave its token. */
  public void save(Path file) throws IOException {
    if (token.isPresent() || !(privateKey instanceof ECPrivateKey ec)) {
      throw new IllegalStateException("a service key in a PKCS#11 token cannot be saved to a file");
    }
    PemKeys.writePrivateKey(file, ec);
  }

  /** Whether the private key is in a PKCS#11 token. */
  public boolean inToken() {
    return token.isPresent();
  }

  public String keyId() {
    return publicJwk.getKeyID();
  }

  /** The public key as a JWK (with kid, use and alg). */
  public ECKey publicJwk() {
    return publicJwk;
  }

  /** An ES256 JOSE signer with this key (on the token's provider for a token key). */
  public JWSSigner joseSigner() throws JOSEException {
    if (token.isEmpty()) {
      return JoseCrypto.signer((ECPrivateKey) privateKey);
    }
    ECDSASigner signer = new ECDSASigner(privateKey, Curve.P_256);
    signer.getJCAContext().setProvider(token.get());
    return signer;
  }

  /** ES256 over {@code message}; returns base64url (no padding) of the 64-byte r||s signature. */
  public String sign(byte[] message) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signRaw(message));
  }

  byte[] signRaw(byte[] message) {
    try {
      if (token.isEmpty()) {
        Signature signer =
            fastKey.isPresent() ? Providers.signature(ES256_RAW) : Signature.getInstance(ES256_RAW);
        signer.initSign(fastKey.orElse(privateKey));
        signer.update(message);
        return signer.sign();
      }
      Signature signer = Signature.getInstance("SHA256withECDSA", token.get());
      signer.initSign(privateKey);
      signer.update(message);
      return KeySignatures.derToRaw(signer.sign(), P256_SIGNATURE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("service key cannot sign", e);
    }
  }

  /** Verifies a {@link #sign} signature against a public JWK. */
  public static boolean verify(ECKey publicJwk, byte[] message, String signature) {
    try {
      byte[] raw = Encodings.base64Url(signature);
      return Providers.verify(ES256_RAW, publicJwk.toECPublicKey(), message, raw);
    } catch (JOSEException | IllegalArgumentException e) {
      return false;
    }
  }
}
