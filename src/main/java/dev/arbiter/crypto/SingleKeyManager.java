// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one private key and its certificate chain, for whichever key type the handshake asks for
 * that matches the key's algorithm. Replaces a PKCS#12 key store plus {@code KeyManagerFactory},
 * which encrypts the key with PBKDF2 (10,000 iterations) only to decrypt it again: most of a CLI
 * call's TLS set-up time. Immutable.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "key";
  private final PrivateKey key;
  private final X509Certificate[] chain;

  /** {@code chain} starts with the key's certificate (not empty). */
  SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
    this.key = key;
    this.chain = chain.clone();
  }

  /**
   * Whether {@code keyType} names this key: its algorithm ({@code EC}, {@code RSA}, {@code EdDSA}),
   * {@code RSASSA-PSS} for an RSA key, or a TLS 1.2 form {@code EC_EC}/{@code RSA_...} whose first
   * part is the key's algorithm.
   */
  private boolean matches(String keyType) {
    if (keyType == null) {
      return false;
    }
    String algorithm = key.getAlgorithm();
    return keyType.equals(algorithm)
        || keyType.startsWith(algorithm + "_")
        || (keyType.equals("RSASSA-PSS") && algorithm.equals("RSA"))
        || (algorithm.equals("Ed25519") && keyType.equals("EdDSA"));
  }

  private String[] aliases(String keyType) {
    return matches(keyType) ? new String[] {ALIAS} : null;
  }

  private String choose(String[] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (matches(keyType)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return aliases(keyType);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliases(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return matches(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return matches(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
