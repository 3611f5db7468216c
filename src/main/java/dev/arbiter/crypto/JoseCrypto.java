// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * Nimbus JOSE signers and verifiers on the fast JCA provider ({@link Providers}) when it is loaded.
 */
public final class JoseCrypto {
  private JoseCrypto() {}

  public static ECDSASigner signer(ECPrivateKey key) throws JOSEException {
    ECDSASigner signer = new ECDSASigner(key);
    Providers.fast().ifPresent(provider -> signer.getJCAContext().setProvider(provider));
    return signer;
  }

  public static ECDSASigner signer(ECKey key) throws JOSEException {
    return signer(key.toECPrivateKey());
  }

  /**
   * Verifies {@code jws} under {@code key}; on the fast provider with a copy of the key made for
   * this one verification and freed right after it ({@link Providers#transientKey}).
   */
  public static boolean verify(JWSObject jws, ECKey key) throws JOSEException {
    ECPublicKey publicKey = key.toECPublicKey();
    ECPublicKey used = Providers.transientKey(publicKey);
    try {
      ECDSAVerifier verifier = new ECDSAVerifier(used);
      Providers.fast().ifPresent(provider -> verifier.getJCAContext().setProvider(provider));
      return jws.verify(verifier);
    } finally {
      Providers.release(used, publicKey);
    }
  }
}
