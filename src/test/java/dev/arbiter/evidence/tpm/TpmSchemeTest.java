// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static dev.arbiter.evidence.tpm.TpmFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.evidence.ByteClaimsAssert;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated quotes signed by test keys: one valid case per signature scheme and a bad case per
 * rule.
 */
class TpmSchemeTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private static final KeyPair RSA = CertBuilder.rsaKeyPair(2048);
  private static final KeyPair EC = CertBuilder.ecKeyPair("secp256r1");
  private static final byte[] NONCE = hex("c0ffee00".repeat(8));
  private static final Map<Integer, byte[]> PCRS = TpmFixtures.pcrs(0, 7, 16);
  private static final byte[] QUOTE = TpmFixtures.quote(NONCE, PCRS);

  private static byte[] signature(String scheme, byte[] attest) throws Exception {
    return switch (scheme) {
      case "rsassa" -> TpmFixtures.rsassa(RSA.getPrivate(), attest);
      case "rsapss" -> TpmFixtures.rsapss(RSA.getPrivate(), attest);
      default -> TpmFixtures.ecdsa(EC.getPrivate(), attest);
    };
  }

  private static KeyPair keyFor(String scheme) {
    return scheme.equals("ecdsa") ? EC : RSA;
  }

  private static EvidenceInput input(String scheme) throws Exception {
    return EvidenceInput.of(QUOTE)
        .withSignature(signature(scheme, QUOTE))
        .withPcrs(TpmFixtures.pcrJson(PCRS))
        .withKeys(List.of(TpmFixtures.tpmtPublic(keyFor(scheme), true)));
  }

  private static List<Object> types(VerificationResult result) {
    return result.problems().stream().map(Problem::type).map(Object.class::cast).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsassa", "rsapss", "ecdsa"})
  void quote_signedByAk_isValidWithClaims(String scheme) throws Exception {
    VerificationResult result =
        TpmScheme.withoutCas().verify(input(scheme), ExpectedBinding.exactly(NONCE), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("signature.scheme")).contains(scheme);
    assertThat(result.claims().get("clock")).contains(123456789L);
    assertThat(result.claims().get("reset_count")).contains(3L);
    assertThat(result.claims().get("restart_count")).contains(1L);
    assertThat(result.claims().get("safe")).contains(true);
    assertThat(result.claims().get("pcr7")).contains("08".repeat(32));
    assertThat(result.claims().get("pcrs.sha256.pcr16")).contains("11".repeat(32));
    assertThat(result.claims().get("pcr_selection.sha256")).contains(List.of(0L, 7L, 16L));
    assertThat(
            ByteClaimsAssert.assertByteClaims(
                TpmScheme.withoutCas().descriptor(),
                result.claims(),
                Set.of("extra_data", "qualified_signer")))
        .contains("magic", "firmware_version", "pcr_digest", "pcr0", "pcrs.sha256.pcr16");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PEM", "JWK"})
  void quote_withAkAsPemOrJwk_isValid(String form) throws Exception {
    byte[] key =
        form.equals("PEM")
            ? TpmFixtures.pem(EC.getPublic()).getBytes(StandardCharsets.US_ASCII)
            : new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) EC.getPublic())
                .build()
                .toJSONString()
                .getBytes(StandardCharsets.UTF_8);
    EvidenceInput input = input("ecdsa").withKeys(List.of(key));

    assertThat(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT).problems())
        .isEmpty();
  }

  @Test
  void quote_rawRsaSignature_isValid() throws Exception {
    byte[] tpmt = TpmFixtures.rsassa(RSA.getPrivate(), QUOTE);
    EvidenceInput input = input("rsassa").withSignature(Arrays.copyOfRange(tpmt, 6, tpmt.length));

    VerificationResult result =
        TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("signature.scheme")).contains("raw");
  }

  @Test
  void bad_magic_isMalformed() throws Exception {
    byte[] quote = QUOTE.clone();
    quote[0] = 0;
    assertThat(
            types(
                TpmScheme.withoutCas().verify(EvidenceInput.of(quote), ExpectedBinding.none(), AT)))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_typeNotQuote_isUnsupported() {
    byte[] quote = QUOTE.clone();
    quote[5] = 0x17; // TPM_ST_ATTEST_CERTIFY
    assertThat(
            types(
                TpmScheme.withoutCas().verify(EvidenceInput.of(quote), ExpectedBinding.none(), AT)))
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void bad_trailingBytes_isMalformed() {
    byte[] quote = Arrays.copyOf(QUOTE, QUOTE.length + 1);
    assertThat(
            types(
                TpmScheme.withoutCas().verify(EvidenceInput.of(quote), ExpectedBinding.none(), AT)))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_truncated_isMalformed() {
    for (int length = 0; length < QUOTE.length; length += 7) {
      byte[] quote = Arrays.copyOf(QUOTE, length);
      assertThat(
              types(
                  TpmScheme.withoutCas()
                      .verify(EvidenceInput.of(quote), ExpectedBinding.none(), AT)))
          .as("length " + length)
          .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsassa", "rsapss", "ecdsa"})
  void bad_signature_isSignatureInvalid(String scheme) throws Exception {
    byte[] quote = QUOTE.clone();
    quote[quote.length - 1] ^= 1; // sign a different pcrDigest
    EvidenceInput input = input(scheme).withSignature(signature(scheme, quote));

    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_noSignature_isSignatureInvalid() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(QUOTE).withKeys(List.of(TpmFixtures.tpmtPublic(EC, true)));
    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.none(), AT)))
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void bad_extraData_isReportDataMismatch() throws Exception {
    assertThat(
            types(
                TpmScheme.withoutCas()
                    .verify(input("ecdsa"), ExpectedBinding.exactly(hex("c0ffee00")), AT)))
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void bad_pcrValue_isMeasurementMismatch() throws Exception {
    Map<Integer, byte[]> changed = TpmFixtures.pcrs(0, 7, 16);
    changed.get(16)[0] ^= 1;
    EvidenceInput input = input("ecdsa").withPcrs(TpmFixtures.pcrJson(changed));

    VerificationResult result =
        TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT);

    assertThat(types(result)).containsExactly(EvidenceProblem.MEASUREMENT_MISMATCH);
    assertThat(result.claims().get("pcr16")).isEmpty();
  }

  @Test
  void bad_missingPcr_isMeasurementMismatch() throws Exception {
    EvidenceInput input = input("ecdsa").withPcrs(TpmFixtures.pcrJson(TpmFixtures.pcrs(0, 7)));
    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.MEASUREMENT_MISMATCH);
  }

  @Test
  void bad_pcrJson_isMalformed() throws Exception {
    EvidenceInput input =
        input("ecdsa").withPcrs("{\"sha256\": {\"0\": \"abc\"}}".getBytes(StandardCharsets.UTF_8));
    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void bad_noKey_isCertificateMissing() throws Exception {
    EvidenceInput input = input("ecdsa").withKeys(List.of());
    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .contains(EvidenceProblem.CERTIFICATE_MISSING);
  }

  @Test
  void bad_keyMalformed_isKeyMalformed() throws Exception {
    EvidenceInput input = input("ecdsa").withKeys(List.of(new byte[] {1, 2, 3}));
    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .contains(EvidenceProblem.KEY_MALFORMED);
  }

  @Test
  void bad_unrestrictedAk_isKeyMalformed() throws Exception {
    EvidenceInput input = input("ecdsa").withKeys(List.of(TpmFixtures.tpmtPublic(EC, false)));
    assertThat(types(TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.KEY_MALFORMED);
  }

  private record Pki(X509Certificate root, KeyPair rootKey, X509Certificate ak) {}

  private static Pki pki(Instant notAfter) {
    KeyPair rootKey = CertBuilder.ecKeyPair("secp384r1");
    X509Certificate root =
        CertBuilder.subject("CN=Test AK CA", rootKey.getPublic())
            .selfSigned(rootKey.getPrivate())
            .ca(0)
            .build();
    X509Certificate ak =
        CertBuilder.subject("CN=Test AK", EC.getPublic())
            .issuer(root, rootKey.getPrivate())
            .validity(Instant.parse("2025-01-01T00:00:00Z"), notAfter)
            .serial(BigInteger.valueOf(42))
            .build();
    return new Pki(root, rootKey, ak);
  }

  private static EvidenceInput withCert(X509Certificate ak) throws Exception {
    return input("ecdsa").withKeys(List.of()).withCertificates(List.of(ak.getEncoded()));
  }

  @Test
  void akCertificate_chainedToConfiguredCa_isValid() throws Exception {
    Pki pki = pki(Instant.parse("2030-01-01T00:00:00Z"));
    VerificationResult result =
        new TpmScheme(List.of(pki.root()))
            .verify(withCert(pki.ak()), ExpectedBinding.exactly(NONCE), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("ak.certificate.subject")).contains("CN=Test AK");
    assertThat(result.claims().get("revocation")).contains("unchecked");
    assertThat(
            ByteClaimsAssert.assertByteClaims(
                TpmScheme.withoutCas().descriptor(),
                result.claims(),
                Set.of("extra_data", "qualified_signer", "ak.certificate.serial")))
        .contains("ak.key_sha256", "pcr7");
  }

  @Test
  void bad_akCertificateFromOtherCa_isChainInvalid() throws Exception {
    Pki pki = pki(Instant.parse("2030-01-01T00:00:00Z"));
    Pki other = pki(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(
            types(
                new TpmScheme(List.of(other.root()))
                    .verify(withCert(pki.ak()), ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.CERTIFICATE_CHAIN_INVALID);
  }

  @Test
  void bad_akCertificateExpired_isCertificateExpired() throws Exception {
    Pki pki = pki(Instant.parse("2025-06-01T00:00:00Z"));
    assertThat(
            types(
                new TpmScheme(List.of(pki.root()))
                    .verify(withCert(pki.ak()), ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.CERTIFICATE_EXPIRED);
  }

  @Test
  void bad_akCertificateRevoked_isCertificateRevoked() throws Exception {
    Pki pki = pki(Instant.parse("2030-01-01T00:00:00Z"));
    var crl =
        CertBuilder.crl(
            pki.root(),
            pki.rootKey().getPrivate(),
            Instant.parse("2025-12-01T00:00:00Z"),
            Instant.parse("2026-02-01T00:00:00Z"),
            List.of(BigInteger.valueOf(42)));
    EvidenceInput input =
        withCert(pki.ak())
            .withCollateral(List.of(new EvidenceInput.Collateral("ca.crl", crl.getEncoded())));

    assertThat(
            types(
                new TpmScheme(List.of(pki.root()))
                    .verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.CERTIFICATE_REVOKED);
  }

  @Test
  void bad_keyDiffersFromAkCertificate_isKeyBindingInvalid() throws Exception {
    Pki pki = pki(Instant.parse("2030-01-01T00:00:00Z"));
    EvidenceInput input = withCert(pki.ak()).withKeys(List.of(TpmFixtures.tpmtPublic(RSA, true)));
    assertThat(
            types(
                new TpmScheme(List.of(pki.root()))
                    .verify(input, ExpectedBinding.exactly(NONCE), AT)))
        .containsExactly(EvidenceProblem.KEY_BINDING_INVALID);
  }
}
