// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds TLS 1.3/1.2 contexts from PEM files: the server's and a client's (mutual TLS). */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * A context presenting {@code certificate}/{@code key} (may be null for a trust-only client) and
   * trusting only {@code trustedCa}.
   */
  /** Protocols the server offers: TLS 1.3 and TLS 1.2. */
  public static final java.util.List<String> SERVER_PROTOCOLS =
      java.util.List.of("TLSv1.3", "TLSv1.2");

  /**
   * Cipher suites the server offers: TLS 1.3's, and TLS 1.2 with ECDHE and an AEAD only (no CBC, no
   * SHA-1 MACs, no RSA key exchange).
   */
  public static final java.util.List<String> SERVER_CIPHER_SUITES =
      java.util.List.of(
          "TLS_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  public static SSLContext create(Path certificate, Path key, Path trustedCa) throws IOException {
    try {
      KeyManager[] keyManagers = null;
      if (certificate != null && key != null) {
        List<X509Certificate> chain = Certificates.parse(Files.readAllBytes(certificate));
        if (chain.isEmpty()) {
          throw new IOException("no certificate in " + certificate);
        }
        PrivateKey privateKey = PemKeys.readPrivateKey(key);
        keyManagers =
            new KeyManager[] {
              new SingleKeyManager(privateKey, chain.toArray(X509Certificate[]::new))
            };
      }
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      int i = 0;
      for (X509Certificate ca : Certificates.parse(Files.readAllBytes(trustedCa))) {
        trustStore.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build TLS context: " + e.getMessage(), e);
    }
  }
}
