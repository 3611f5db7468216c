// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;
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
    return verify(algorithm, key, data, 0, data.length, signature);
  }

  /**
   * As {@link #verify(String, PublicKey, byte[], byte[])} over {@code data[offset, offset+length)}.
   */
  public static boolean verify(
      String algorithm, PublicKey key, byte[] data, int offset, int length, byte[] signature) {
    Signature verifier;
    try {
      verifier = signature(algorithm);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
    return verify(verifier, key, data, offset, length, signature);
  }

  /**
   * Verifies with {@code verifier} (its parameters set, not yet initialized), on the fast provider
   * with a copy of {@code key} freed right after ({@link #transientKey}); false, never throwing,
   * for anything that does not verify.
   */
  static boolean verify(
      Signature verifier, PublicKey key, byte[] data, int offset, int length, byte[] signature) {
    PublicKey used = key;
    try {
      if (FAST.isPresent() && verifier.getProvider() == FAST.get()) {
        used = transientKey(key);
      }
      verifier.initVerify(used);
      verifier.update(data, offset, length);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    } finally {
      release(used, key);
    }
  }

  /**
   * {@code key} as the fast provider's own key, for one operation, to be handed to {@link #release}
   * after it. ACCP converts a foreign key into a native copy on every {@code initVerify} and frees
   * that copy only when a garbage collection has found it unreachable: until then its cleanup
   * bookkeeping (a reference, a lock, a cell per key) is reachable, so every such verification left
   * objects for the next young collection to copy. A copy made here and released at once is freed
   * before that. Returns {@code key} itself without the fast provider, for its own keys, or when it
   * cannot take the key (it then converts the key itself, as before).
   */
  public static <K extends PublicKey> K transientKey(K key) {
    if (FAST.isEmpty()) {
      return key;
    }
    try {
      Key translated = KeyFactory.getInstance(key.getAlgorithm(), FAST.get()).translateKey(key);
      if (translated == key) {
        return key;
      }
      if (!(translated instanceof PublicKey copy) || !sameKind(key, copy)) {
        destroy(translated);
        return key;
      }
      @SuppressWarnings("unchecked")
      K own = (K) translated;
      return own;
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  /**
   * Frees {@code used} at once when {@link #transientKey} made it as a copy of {@code original}.
   */
  public static void release(PublicKey used, PublicKey original) {
    if (used != original) {
      destroy(used);
    }
  }

  private static void destroy(Key copy) {
    if (copy instanceof Destroyable destroyable && !destroyable.isDestroyed()) {
      try {
        destroyable.destroy();
      } catch (DestroyFailedException | RuntimeException e) {
        // left to the provider's own cleanup after a collection
      }
    }
  }

  /** The translated key implements every key interface the original does (EC, RSA, EdEC). */
  private static boolean sameKind(PublicKey original, PublicKey translated) {
    for (Class<?> kind :
        new Class<?>[] {
          java.security.interfaces.ECPublicKey.class,
          java.security.interfaces.RSAPublicKey.class,
          java.security.interfaces.EdECPublicKey.class
        }) {
      if (kind.isInstance(original) && !kind.isInstance(translated)) {
        return false;
      }
    }
    return true;
  }
}
