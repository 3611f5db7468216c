// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.testing.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service key in a SoftHSM2 token, through SunPKCS11. */
class Pkcs11ServiceKeyTest {
  @TempDir Path work;

  @Test
  void tokenKey_signs_andItsPublicJwkVerifies() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    ServiceKey key = token.source(SoftHsm.PIN).load();

    assertThat(key.inToken()).isTrue();
    ECPublicKey expected = (ECPublicKey) token.publicKey();
    assertThat(key.publicJwk().toECPublicKey().getW()).isEqualTo(expected.getW());
    assertThat(key.keyId())
        .isEqualTo(new ECKey.Builder(Curve.P_256, expected).build().computeThumbprint().toString());
    byte[] message = "revision 7".getBytes(StandardCharsets.US_ASCII);
    String signature = key.sign(message);
    assertThat(Base64.getUrlDecoder().decode(signature)).hasSize(64);
    assertThat(ServiceKey.verify(key.publicJwk(), message, signature)).isTrue();
    assertThat(
            ServiceKey.verify(
                key.publicJwk(), "revision 8".getBytes(StandardCharsets.US_ASCII), signature))
        .isFalse();
    assertThat(ServiceKey.verify(ServiceKey.generate().publicJwk(), message, signature)).isFalse();
  }

  @Test
  void tokenKey_signsJose_verifiedWithThePublicJwk() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    ServiceKey key = token.source(SoftHsm.PIN).load();
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("eat+jwt"))
                .keyID(key.keyId())
                .build(),
            new Payload("{\"ear.status\":\"affirming\"}"));
    jws.sign(key.joseSigner());

    JWSObject parsed = JWSObject.parse(jws.serialize());
    assertThat(JoseCrypto.verify(parsed, key.publicJwk())).isTrue();
    assertThat(JoseCrypto.verify(parsed, ServiceKey.generate().publicJwk())).isFalse();
  }

  @Test
  void tokenKey_cannotBeSaved_andWithoutLabelAmongSeveralKeysIsRefused() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    SoftHsm.Key other = SoftHsm.key(work);
    ServiceKey key = token.source(SoftHsm.PIN).load();

    assertThat(other.source(SoftHsm.PIN).load().keyId()).isNotEqualTo(key.keyId());
    Path file = work.resolve("service-key.pem");
    assertThatThrownBy(() -> key.save(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be saved");
    assertThat(file).doesNotExist();
    assertThatThrownBy(
            () -> ServiceKey.fromToken(token.config(), Optional.empty(), SoftHsm.PIN.toCharArray()))
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("name the key with pkcs11:<config>#<label>")
        .hasMessageContaining(token.label())
        .hasMessageContaining(other.label());
  }

  @Test
  void source_neverPrintsThePin() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    String pin = "98765";

    assertThat(token.source(pin).toString()).doesNotContain(pin).contains(token.spec());
    // a wrong PIN is tested in a fresh process (Pkcs11ServiceKeyServerTest): PKCS#11 login state
    // is per process, so after another test's login this JVM's token accepts any PIN
  }

  @Test
  void unknownLabel_namesTheKeysTheTokenHas() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    var source = new ServiceKeySource.Pkcs11(token.config(), Optional.of("other"), SoftHsm.PIN);

    assertThatThrownBy(source::load)
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("no private key with a certificate labelled \"other\"")
        .hasMessageContaining(token.label());
  }

  @Test
  void certificateForAnotherKey_isRefused() throws Exception {
    SoftHsm.Key token = SoftHsm.keyWithForeignCertificate(work);

    assertThatThrownBy(() -> token.source(SoftHsm.PIN).load())
        .isInstanceOf(TokenException.class)
        .hasMessage(
            token.spec()
                + ": the token's key \""
                + token.label()
                + "\" does not match the public key of its certificate");
  }

  @Test
  void missingConfigFile_isATokenError() {
    var source =
        new ServiceKeySource.Pkcs11(work.resolve("absent.cfg"), Optional.empty(), SoftHsm.PIN);

    assertThatThrownBy(source::load)
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("no readable PKCS#11 configuration file");
  }

  @Test
  void spec_parses_andRejectsOtherForms() {
    var parsed = ServiceKeySource.pkcs11("pkcs11:/etc/arbiter/hsm.cfg#arbiter-service", "1");
    assertThat(parsed.config()).isEqualTo(Path.of("/etc/arbiter/hsm.cfg"));
    assertThat(parsed.label()).contains("arbiter-service");
    assertThat(ServiceKeySource.pkcs11("pkcs11:hsm.cfg", "1").label()).isEmpty();
    for (String bad :
        new String[] {"/etc/arbiter/key.pem", "pkcs11:", "pkcs11:hsm.cfg#", "pkcs11:#x"}) {
      assertThatThrownBy(() -> ServiceKeySource.pkcs11(bad, "1"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pkcs11:<config-file>[#<label>]");
    }
  }

  @Test
  void derToRaw_isTheInverseOfRawToDer() throws Exception {
    byte[] raw = new byte[64];
    raw[31] = 1; // r = 1: a short INTEGER
    raw[32] = (byte) 0x80; // s with the high bit set: a leading zero in DER
    raw[63] = 7;
    byte[] der = KeySignatures.rawToDer(raw);
    assertThat(KeySignatures.derToRaw(der, 64)).isEqualTo(raw);
    byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
    assertThatThrownBy(() -> KeySignatures.derToRaw(trailing, 64))
        .isInstanceOf(java.security.SignatureException.class);
    assertThatThrownBy(() -> KeySignatures.derToRaw(der, 32))
        .isInstanceOf(java.security.SignatureException.class);
  }
}
