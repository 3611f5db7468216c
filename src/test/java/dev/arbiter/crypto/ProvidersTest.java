// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import javax.security.auth.Destroyable;
import org.junit.jupiter.api.Test;

/**
 * A verification on the fast provider uses a copy of a foreign key made for it and freed right
 * after it: the copy is the provider's own key of the same kind, destroyed by {@link
 * Providers#release}, and the caller's key is never touched.
 */
class ProvidersTest {
  private static final byte[] DATA = "bytes".getBytes(StandardCharsets.US_ASCII);

  @Test
  void transientKey_isTheFastProvidersOwnCopy_andReleaseDestroysOnlyTheCopy() throws Exception {
    if (Providers.fast().isEmpty()) { // the JDK verifies with the caller's key itself
      PublicKey key = CertBuilder.ecKeyPair("secp256r1").getPublic();
      assertThat(Providers.transientKey(key)).isSameAs(key);
      return;
    }
    for (KeyPair pair :
        new KeyPair[] {
          CertBuilder.ecKeyPair("secp256r1"),
          CertBuilder.ecKeyPair("secp384r1"),
          CertBuilder.rsaKeyPair(2048)
        }) {
      PublicKey original = pair.getPublic();
      PublicKey copy = Providers.transientKey(original);
      assertThat(copy).isNotSameAs(original);
      assertThat(copy.getEncoded()).isEqualTo(original.getEncoded());
      assertThat(copy instanceof ECPublicKey).isEqualTo(original instanceof ECPublicKey);
      assertThat(copy instanceof RSAPublicKey).isEqualTo(original instanceof RSAPublicKey);
      assertThat(((Destroyable) copy).isDestroyed()).isFalse();
      Providers.release(copy, original);
      assertThat(((Destroyable) copy).isDestroyed()).isTrue();
      // the original still verifies (and its own copy for that call is freed in turn)
      String algorithm = original instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA";
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(pair.getPrivate());
      signer.update(DATA);
      byte[] signature = signer.sign();
      assertThat(Providers.verify(algorithm, original, DATA, signature)).isTrue();
      assertThat(Providers.verify(algorithm, original, "other".getBytes(), signature)).isFalse();
    }
  }

  @Test
  void transientKey_ofTheProvidersOwnKey_isThatKey_andReleaseLeavesIt() throws Exception {
    if (Providers.fast().isEmpty()) {
      return; // no provider keys to tell apart
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.fast().get());
    generator.initialize(256);
    PublicKey own = generator.generateKeyPair().getPublic();
    assertThat(Providers.transientKey(own)).isSameAs(own);
    Providers.release(own, own);
    assertThat(((Destroyable) own).isDestroyed()).isFalse();
  }

  @Test
  void joseVerify_acceptsTheSigner_refusesAnotherKey_withTheFastProviderOrWithout()
      throws Exception {
    ServiceKey key = ServiceKey.generate();
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JOSE).build(),
            new Payload("{\"a\":1}"));
    jws.sign(key.joseSigner());
    JWSObject parsed = JWSObject.parse(jws.serialize());
    assertThat(JoseCrypto.verify(parsed, key.publicJwk())).isTrue();
    ECKey other = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_256).generate();
    assertThat(JoseCrypto.verify(parsed, other.toPublicJWK())).isFalse();
  }
}
