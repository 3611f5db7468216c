// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Loads the service key from a PKCS#11 token through the JDK's SunPKCS11 provider: configures a
 * provider instance from a SunPKCS11 configuration file ({@code name}, {@code library}, {@code
 * slot} or {@code slotListIndex}), logs in with the PIN, and takes the private key and its
 * certificate's public key by alias (the objects' {@code CKA_LABEL}). SunPKCS11 lists a private key
 * only when the token holds a certificate with the same {@code CKA_ID}. The provider instance is
 * not installed globally: it is passed to the signatures that need it.
 */
final class Pkcs11Keys {
  private static final byte[] PROBE =
      "arbiter service key probe".getBytes(StandardCharsets.US_ASCII);

  private Pkcs11Keys() {}

  static ServiceKey serviceKey(Path config, Optional<String> label, char[] pin) throws IOException {
    Provider provider = provider(config);
    KeyStore store = login(provider, pin);
    String alias = alias(store, label);
    try {
      Key key = store.getKey(alias, null);
      Certificate certificate = store.getCertificate(alias);
      if (!(key instanceof PrivateKey privateKey) || !"EC".equals(privateKey.getAlgorithm())) {
        throw new TokenException("the token's key \"" + alias + "\" is not an EC private key");
      }
      if (certificate == null
          || !(certificate.getPublicKey() instanceof ECPublicKey publicKey)
          || !Curve.P_256.equals(Curve.forECParameterSpec(publicKey.getParams()))) {
        throw new TokenException(
            "the token's key \"" + alias + "\" has no certificate for an EC P-256 public key");
      }
      ServiceKey serviceKey = ServiceKey.ofToken(privateKey, publicKey, provider);
      byte[] probe;
      try {
        probe = serviceKey.signRaw(PROBE);
      } catch (IllegalStateException e) {
        throw new TokenException("the token's key \"" + alias + "\" cannot sign: " + causes(e), e);
      }
      if (!Providers.verify("SHA256withECDSAinP1363Format", publicKey, PROBE, probe)) {
        throw new TokenException(
            "the token's key \"" + alias + "\" does not match the public key of its certificate");
      }
      return serviceKey;
    } catch (GeneralSecurityException e) {
      throw new TokenException("cannot read the token's key \"" + alias + "\": " + causes(e), e);
    }
  }

  private static Provider provider(Path config) throws TokenException {
    if (!Files.isRegularFile(config) || !Files.isReadable(config)) {
      throw new TokenException("no readable PKCS#11 configuration file " + config);
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new TokenException("this Java runtime has no SunPKCS11 provider");
    }
    try {
      return base.configure(config.toAbsolutePath().toString());
    } catch (ProviderException | IllegalArgumentException e) {
      throw new TokenException("cannot use the PKCS#11 token of " + config + ": " + causes(e), e);
    }
  }

  private static KeyStore login(Provider provider, char[] pin) throws TokenException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      return store;
    } catch (IOException | GeneralSecurityException | ProviderException e) {
      String detail = causes(e);
      if (detail.contains("CKR_PIN_INCORRECT")) {
        throw new TokenException("PKCS#11 login failed: wrong PIN", e);
      }
      if (detail.contains("CKR_PIN_LOCKED")) {
        throw new TokenException("PKCS#11 login failed: the token's PIN is locked", e);
      }
      throw new TokenException("PKCS#11 login failed: " + detail, e);
    }
  }

  private static String alias(KeyStore store, Optional<String> label) throws TokenException {
    List<String> keys = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keys.add(alias);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new TokenException("cannot list the token's keys: " + causes(e), e);
    }
    if (label.isPresent()) {
      if (!keys.contains(label.get())) {
        throw new TokenException(
            "the token has no private key with a certificate labelled \""
                + label.get()
                + "\" (keys with certificates: "
                + keys
                + ")");
      }
      return label.get();
    }
    if (keys.size() != 1) {
      throw new TokenException(
          "name the key with pkcs11:<config>#<label>: the token has "
              + keys.size()
              + " private keys with certificates "
              + keys);
    }
    return keys.get(0);
  }

  private static String causes(Throwable e) {
    Throwable root = e;
    StringBuilder text = new StringBuilder();
    while (root != null) {
      if (root.getMessage() != null) {
        if (!text.isEmpty()) {
          text.append(": ");
        }
        text.append(root.getMessage());
      }
      root = root.getCause() == root ? null : root.getCause();
    }
    String joined = text.isEmpty() ? e.getClass().getSimpleName() : text.toString();
    return joined.replaceAll("\\s+", " ").strip();
  }
}
