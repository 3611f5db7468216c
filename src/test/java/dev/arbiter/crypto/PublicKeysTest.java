// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicKeysTest {
  private static final KeyPair P256 = CertBuilder.ecKeyPair("secp256r1");
  private static final KeyPair P384 = CertBuilder.ecKeyPair("secp384r1");

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static String jwk(KeyPair pair, boolean breakPoint) throws GeneralSecurityException {
    byte[] point = EcKeys.uncompressed((ECPublicKey) pair.getPublic());
    int n = (point.length - 1) / 2;
    byte[] y = Arrays.copyOfRange(point, 1 + n, point.length);
    if (breakPoint) {
      y[n - 1] ^= 0x01;
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return "{\"kty\":\"EC\",\"crv\":\"P-"
        + (n == 32 ? 256 : 384)
        + "\",\"x\":\""
        + b64.encodeToString(Arrays.copyOfRange(point, 1, 1 + n))
        + "\",\"y\":\""
        + b64.encodeToString(y)
        + "\"}";
  }

  @Test
  void parse_pemWithTwoKeys_derSpki_jwk_jwks_andAnchorList() throws Exception {
    assertThat(PublicKeys.parse((pem(P256) + pem(P384)).getBytes(StandardCharsets.US_ASCII)))
        .extracting(PublicKeys.TrustedKey::key)
        .containsExactly(P256.getPublic(), P384.getPublic());
    assertThat(PublicKeys.parse(P384.getPublic().getEncoded()).get(0).key())
        .isEqualTo(P384.getPublic());
    assertThat(PublicKeys.parse(jwk(P256, false).getBytes()).get(0).key())
        .isEqualTo(P256.getPublic());
    assertThat(
            PublicKeys.parse(
                ("{\"keys\":[" + jwk(P256, false) + "," + jwk(P384, false) + "]}").getBytes()))
        .hasSize(2);
    List<PublicKeys.TrustedKey> store =
        PublicKeys.parse(
            ("[{\"instance-id\":\"01ab\",\"implementation-id\":\"cd\",\"pkey\":"
                    + jwk(P384, false)
                    + "}]")
                .getBytes());
    assertThat(store.get(0).key()).isEqualTo(P384.getPublic());
    assertThat(store.get(0).attribute("instance-id")).contains("01ab");
    assertThat(store.get(0).attribute("implementation-id")).contains("cd");
  }

  @Test
  void parse_rsa2048_isAccepted_rsa1024Refused() throws Exception {
    assertThat(PublicKeys.parse(CertBuilder.rsaKeyPair(2048).getPublic().getEncoded())).hasSize(1);
    assertThatThrownBy(
            () -> PublicKeys.parse(CertBuilder.rsaKeyPair(1024).getPublic().getEncoded()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("2048");
  }

  @Test
  void parse_offCurvePoint_isRefused() throws Exception {
    String bad = jwk(P256, true);
    assertThatThrownBy(() -> PublicKeys.parse(bad.getBytes()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("not on the curve");
  }

  @Test
  void parse_garbage_isRefusedWithGeneralSecurityException() {
    for (String input :
        List.of(
            "",
            "{",
            "[]",
            "[1]",
            "{\"kty\":\"OKP\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA==\",\"y\":\"AA\"}",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "not a key",
            "{\"pkey\":1}",
            "-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")) {
      assertThatThrownBy(() -> PublicKeys.parse(input.getBytes()))
          .as(input)
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void ecKeys_roundTripUncompressed_andRejectInfinityAndWrongLength() throws Exception {
    byte[] point = EcKeys.uncompressed((ECPublicKey) P384.getPublic());
    assertThat(EcKeys.fromUncompressed(point)).isEqualTo(P384.getPublic());
    assertThatThrownBy(() -> EcKeys.fromUncompressed(new byte[97]))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> EcKeys.fromUncompressed(new byte[10]))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rsa_modulusAndExponent_isValidatedForLength() throws Exception {
    var rsa = (java.security.interfaces.RSAPublicKey) CertBuilder.rsaKeyPair(2048).getPublic();
    assertThat(PublicKeys.rsa(rsa.getModulus(), rsa.getPublicExponent())).isEqualTo(rsa);
    var small = (java.security.interfaces.RSAPublicKey) CertBuilder.rsaKeyPair(1024).getPublic();
    assertThatThrownBy(() -> PublicKeys.rsa(small.getModulus(), small.getPublicExponent()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("2048");
  }
}
