// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.security.interfaces.ECPrivateKey;

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

  public static ECDSAVerifier verifier(ECKey key) throws JOSEException {
    ECDSAVerifier verifier = new ECDSAVerifier(key);
    Providers.fast().ifPresent(provider -> verifier.getJCAContext().setProvider(provider));
    return verifier;
  }
}
