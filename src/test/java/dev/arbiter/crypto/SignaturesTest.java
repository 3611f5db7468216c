// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SignaturesTest {
  private static final KeyPair P256 = CertBuilder.ecKeyPair("secp256r1");
  private static final KeyPair P384 = CertBuilder.ecKeyPair("secp384r1");
  private static final KeyPair RSA = CertBuilder.rsaKeyPair(2048);
  private static final byte[] DATA = "the signed bytes".getBytes(StandardCharsets.US_ASCII);

  private static byte[] sign(String algorithm, KeyPair pair, byte[] data) throws Exception {
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(pair.getPrivate());
    signer.update(data);
    return signer.sign();
  }

  @Test
  void verify_derAndP1363Ecdsa_acceptsOnlyTheSignedBytes() throws Exception {
    byte[] der = sign("SHA256withECDSA", P256, DATA);
    assertThat(Signatures.verify("SHA256withECDSA", P256.getPublic(), DATA, der)).isTrue();
    assertThat(Signatures.verify("SHA256withECDSA", P256.getPublic(), "other".getBytes(), der))
        .isFalse();
    assertThat(Signatures.verify("SHA256withECDSA", P384.getPublic(), DATA, der)).isFalse();
    byte[] p1363 = sign("SHA384withECDSAinP1363Format", P384, DATA);
    assertThat(Signatures.verify("SHA384withECDSAinP1363Format", P384.getPublic(), DATA, p1363))
        .isTrue();
  }

  @Test
  void verify_range_coversOnlyTheRange() throws Exception {
    byte[] framed = new byte[DATA.length + 10];
    System.arraycopy(DATA, 0, framed, 4, DATA.length);
    byte[] signature = sign("SHA384withECDSAinP1363Format", P384, DATA);
    assertThat(
            Signatures.verify(
                "SHA384withECDSAinP1363Format",
                P384.getPublic(),
                framed,
                4,
                DATA.length,
                signature))
        .isTrue();
    assertThat(
            Signatures.verify(
                "SHA384withECDSAinP1363Format",
                P384.getPublic(),
                framed,
                3,
                DATA.length,
                signature))
        .isFalse();
  }

  @Test
  void verify_malformedSignatureOrWrongKeyTypeOrUnknownAlgorithm_isFalseNotAnException() {
    assertThat(
            Signatures.verify("SHA256withECDSA", P256.getPublic(), DATA, new byte[] {0x30, 0x01}))
        .isFalse();
    assertThat(Signatures.verify("SHA256withRSA", P256.getPublic(), DATA, new byte[256])).isFalse();
    assertThat(Signatures.verify("NOSUCHwithNOTHING", P256.getPublic(), DATA, new byte[64]))
        .isFalse();
    assertThat(Signatures.verify("SHA256withECDSA", P256.getPublic(), DATA, 5, 100, new byte[64]))
        .isFalse();
  }

  @Test
  void verifyEcdsaRaw_rawRAndS_verifiesLikeP1363() throws Exception {
    byte[] raw = sign("SHA256withECDSAinP1363Format", P256, DATA);
    assertThat(raw).hasSize(64);
    assertThat(Signatures.verifyEcdsaRaw("SHA-256", P256.getPublic(), DATA, raw)).isTrue();
    raw[10] ^= 1;
    assertThat(Signatures.verifyEcdsaRaw("SHA-256", P256.getPublic(), DATA, raw)).isFalse();
    assertThat(Signatures.verifyEcdsaRaw("SHA-256", P256.getPublic(), DATA, new byte[63]))
        .isFalse();
    assertThat(Signatures.verifyEcdsaRaw("SHA-256", P256.getPublic(), DATA, new byte[0])).isFalse();
  }

  @Test
  void ecdsaRawToDer_highBitAndLeadingZeros_isMinimalDer() {
    byte[] raw = new byte[64];
    raw[0] = (byte) 0x80; // r needs a 0x00 pad byte
    raw[63] = 0x05; // s is 31 leading zero bytes then 5
    byte[] der = Signatures.ecdsaRawToDer(raw);
    assertThat(der[0]).isEqualTo((byte) 0x30);
    assertThat(der[1]).isEqualTo((byte) (der.length - 2));
    assertThat(Arrays.copyOfRange(der, 2, 5)).containsExactly(0x02, 33, 0x00);
    assertThat(Arrays.copyOfRange(der, der.length - 3, der.length)).containsExactly(0x02, 1, 5);
    assertThat(new BigInteger(1, Arrays.copyOfRange(der, 5, 37)))
        .isEqualTo(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32)));
    assertThatThrownBy(() -> Signatures.ecdsaRawToDer(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ecdsaRawToDer_p521_usesLongFormLength() throws Exception {
    KeyPair p521 = CertBuilder.ecKeyPair("secp521r1");
    byte[] raw = sign("SHA512withECDSAinP1363Format", p521, DATA);
    assertThat(raw).hasSize(132);
    assertThat(Signatures.verifyEcdsaRaw("SHA-512", p521.getPublic(), DATA, raw)).isTrue();
  }

  @Test
  void verifyRsaPss_saltLength_mustMatch() throws Exception {
    Signature signer = Signature.getInstance("RSASSA-PSS");
    signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    signer.initSign(RSA.getPrivate());
    signer.update(DATA);
    byte[] signature = signer.sign();
    assertThat(Signatures.verifyRsaPss("SHA-256", 32, RSA.getPublic(), DATA, signature)).isTrue();
    assertThat(Signatures.verifyRsaPss("SHA-256", 222, RSA.getPublic(), DATA, signature)).isFalse();
    assertThat(Signatures.verifyRsaPss("SHA-256", 32, P256.getPublic(), DATA, signature)).isFalse();
  }

  @Test
  void verificationKey_isOnCurveAndVerifies_offCurveRefused() throws Exception {
    byte[] point = EcKeys.uncompressed((ECPublicKey) P256.getPublic());
    byte[] x = Arrays.copyOfRange(point, 1, 33);
    byte[] y = Arrays.copyOfRange(point, 33, 65);
    ECPublicKey key = EcKeys.verificationKey(EcKeys.Curve.P256, x, y);
    assertThat(key.getW()).isEqualTo(((ECPublicKey) P256.getPublic()).getW());
    assertThat(Signatures.verify("SHA256withECDSA", key, DATA, sign("SHA256withECDSA", P256, DATA)))
        .isTrue();
    y[31] ^= 1;
    assertThatThrownBy(() -> EcKeys.verificationKey(EcKeys.Curve.P256, x, y))
        .hasMessageContaining("not on the curve");
    assertThatThrownBy(() -> EcKeys.verificationKey(EcKeys.Curve.P256, new byte[31], y))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void fromAffine_unsignedIntegers_areValidated() throws Exception {
    ECPublicKey original = (ECPublicKey) P384.getPublic();
    ECPublicKey key =
        EcKeys.fromAffine(
            EcKeys.Curve.P384, original.getW().getAffineX(), original.getW().getAffineY());
    assertThat(key.getW()).isEqualTo(original.getW());
    assertThatThrownBy(() ->
            EcKeys.fromAffine(EcKeys.Curve.P384, original.getW().getAffineX(), BigInteger.ONE))
        .hasMessageContaining("not on the curve");
  }
}
