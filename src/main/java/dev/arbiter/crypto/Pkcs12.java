// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * PKCS#12 files a browser or {@code pk12util}/{@code openssl pkcs12} imports: one private key with
 * its certificate chain, protected with the JDK's defaults (PBES2 with AES-256 and an HMAC-SHA-256
 * integrity MAC).
 */
public final class Pkcs12 {
  private Pkcs12() {}

  /** Writes {@code key} with {@code chain} (leaf first) under {@code alias}, mode 600. */
  public static void write(
      Path out, String alias, PrivateKey key, List<X509Certificate> chain, char[] password)
      throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, key, password, chain.toArray(X509Certificate[]::new));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, password);
      PemKeys.writeSecret(out, bytes.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write PKCS#12: " + e.getMessage(), e);
    }
  }

  /** Reads the first key entry's certificate chain (tests and checks). */
  public static List<X509Certificate> readChain(byte[] p12, char[] password) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new java.io.ByteArrayInputStream(p12), password);
      for (String alias : java.util.Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          return java.util.Arrays.stream(store.getCertificateChain(alias))
              .map(X509Certificate.class::cast)
              .toList();
        }
      }
      throw new IOException("no key entry in the PKCS#12 file");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read PKCS#12: " + e.getMessage(), e);
    }
  }
}
