// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the JCA provider for signatures and digests: Amazon Corretto Crypto Provider when its
 * native library loads and passes its self-tests (ECDSA P-384 verify is ~17x faster than SunEC
 * here), otherwise the JDK's providers. The choice is made once per process; the provider is passed
 * explicitly (never installed globally), so TLS and other JDK code keep their defaults.
 * Thread-safe.
 */
public final class Providers {
  private static final Logger LOG = LoggerFactory.getLogger(Providers.class);
  private static final Optional<Provider> FAST = loadAccp();

  private Providers() {}

  private static Optional<Provider> loadAccp() {
    if (Boolean.getBoolean("arbiter.crypto.disableAccp")) {
      return Optional.empty();
    }
    try {
      Class<?> accp =
          Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
      Provider provider = (Provider) accp.getField("INSTANCE").get(null);
      accp.getMethod("assertHealthy").invoke(provider);
      return Optional.of(provider);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.info(
          "Amazon Corretto Crypto Provider not available, using JDK providers: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The fast provider if loaded. */
  public static Optional<Provider> fast() {
    return FAST;
  }

  /** Name of the provider signatures use, for benchmark reports. */
  public static String signatureProviderName() {
    return FAST.map(Provider::getName).orElse("JDK");
  }

  /** A {@link Signature} from the fast provider when it has the algorithm, else the JDK's. */
  public static Signature signature(String algorithm) throws NoSuchAlgorithmException {
    if (FAST.isPresent()) {
      try {
        return Signature.getInstance(algorithm, FAST.get());
      } catch (NoSuchAlgorithmException e) {
        // fall through to the JDK
      }
    }
    return Signature.getInstance(algorithm);
  }

  /**
   * {@code key} re-encoded as the fast provider's own key (so signing does not convert it on every
   * {@code initSign}); empty without the fast provider or when it cannot take the key.
   */
  static Optional<PrivateKey> ownKey(PrivateKey key) {
    if (FAST.isEmpty() || !"PKCS#8".equals(key.getFormat())) {
      return Optional.empty();
    }
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          KeyFactory.getInstance(key.getAlgorithm(), FAST.get())
              .generatePrivate(new PKCS8EncodedKeySpec(encoded)));
    } catch (GeneralSecurityException | RuntimeException e) {
      LOG.info(
          "{} cannot hold a {} signing key; signing with the JDK: {}",
          FAST.get().getName(),
          key.getAlgorithm(),
          e.toString());
      return Optional.empty();
    } finally {
      java.util.Arrays.fill(encoded, (byte) 0); // our copy of the private key's encoding
    }
  }

  /** A {@link MessageDigest} from the fast provider when it has the algorithm, else the JDK's. */
  public static MessageDigest digest(String algorithm) {
    try {
      if (FAST.isPresent()) {
        try {
          return MessageDigest.getInstance(algorithm, FAST.get());
        } catch (NoSuchAlgorithmException e) {
          // fall through to the JDK
        }
      }
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("digest not available: " + algorithm, e);
    }
  }

  /** Convenience: verify a signature, returning false (never throwing) for malformed signatures. */
  public static boolean verify(
      String algorithm, java.security.PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = signature(algorithm);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
