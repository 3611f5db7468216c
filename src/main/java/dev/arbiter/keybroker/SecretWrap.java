// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import java.text.ParseException;

/**
 * The released secret wrapped to the TEE's key: compact JWE, {@code alg} ECDH-ES (direct key
 * agreement with an ephemeral key on the cnf key's curve), {@code enc} A256GCM, {@code kid} = the
 * cnf key's RFC 7638 thumbprint, and the protected header parameters {@code arbiter_resource} and
 * {@code arbiter_version}. Only the holder of the cnf private key can decrypt it. Thread-safe.
 */
public final class SecretWrap {
  public static final String RESOURCE_HEADER = "arbiter_resource";
  public static final String VERSION_HEADER = "arbiter_version";

  private SecretWrap() {}

  static String wrap(ECKey recipient, String thumbprint, String name, int version, byte[] plaintext)
      throws JOSEException {
    JWEHeader header =
        new JWEHeader.Builder(JWEAlgorithm.ECDH_ES, EncryptionMethod.A256GCM)
            .keyID(thumbprint)
            .customParam(RESOURCE_HEADER, name)
            .customParam(VERSION_HEADER, version)
            .build();
    JWEObject jwe = new JWEObject(header, new Payload(plaintext));
    jwe.encrypt(new ECDHEncrypter(recipient.toPublicJWK()));
    return jwe.serialize();
  }

  /**
   * Decrypts a released secret with the TEE's private key (client side). Only ECDH-ES with A256GCM
   * is accepted.
   *
   * @throws JOSEException when the JWE is not for this key or was altered
   */
  public static byte[] unwrap(String compact, ECKey privateKey) throws JOSEException {
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(compact.strip());
    } catch (ParseException e) {
      throw new JOSEException("not a compact JWE: " + e.getMessage(), e);
    }
    if (!JWEAlgorithm.ECDH_ES.equals(jwe.getHeader().getAlgorithm())
        || !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())) {
      throw new JOSEException(
          "expected alg ECDH-ES and enc A256GCM, got "
              + jwe.getHeader().getAlgorithm()
              + " / "
              + jwe.getHeader().getEncryptionMethod());
    }
    jwe.decrypt(new ECDHDecrypter(privateKey));
    return jwe.getPayload().toBytes();
  }
}
