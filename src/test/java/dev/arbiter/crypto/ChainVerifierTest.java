// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
  private final KeyPair rootKey = CertBuilder.rsaKeyPair(2048);
  private final X509Certificate root =
      CertBuilder.subject("CN=Test Root", rootKey.getPublic())
          .selfSigned(rootKey.getPrivate())
          .ca(-1)
          .build();
  private final KeyPair intermediateKey = CertBuilder.ecKeyPair("secp384r1");
  private final X509Certificate intermediate =
      CertBuilder.subject("CN=Test Intermediate", intermediateKey.getPublic())
          .issuer(root, rootKey.getPrivate())
          .ca(0)
          .build();
  private final KeyPair leafKey = CertBuilder.ecKeyPair("secp384r1");
  private final X509Certificate leaf =
      CertBuilder.subject("CN=Leaf", leafKey.getPublic())
          .issuer(intermediate, intermediateKey.getPrivate())
          .validity(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2035-01-01T00:00:00Z"))
          .serial(BigInteger.TEN)
          .build();

  @Test
  void verify_goodChain_isValidAndCached() {
    ChainVerifier verifier = new ChainVerifier(4);
    var result = verifier.verify(List.of(leaf, intermediate), List.of(root), T);
    assertThat(result).isInstanceOf(ChainVerifier.Result.Valid.class);
    assertThat(((ChainVerifier.Result.Valid) result).path())
        .containsExactly(leaf, intermediate, root);
    assertThat(verifier.cachedChains()).isEqualTo(1);
    assertThat(verifier.verify(List.of(leaf, intermediate, root), List.of(root), T))
        .isInstanceOf(ChainVerifier.Result.Valid.class);
  }

  @Test
  void verify_outsideValidity_isExpiredEvenWhenCached() {
    ChainVerifier verifier = new ChainVerifier(4);
    assertThat(verifier.verify(List.of(leaf, intermediate), List.of(root), T))
        .isInstanceOf(ChainVerifier.Result.Valid.class);
    var result =
        verifier.verify(
            List.of(leaf, intermediate), List.of(root), Instant.parse("2036-01-01T00:00:00Z"));
    assertThat(result)
        .isEqualTo(
            new ChainVerifier.Result.Invalid(
                ChainVerifier.Failure.EXPIRED, ((ChainVerifier.Result.Invalid) result).detail()));
  }

  @Test
  void verify_unknownRoot_isUntrusted() {
    KeyPair otherKey = CertBuilder.rsaKeyPair(2048);
    X509Certificate other =
        CertBuilder.subject("CN=Other Root", otherKey.getPublic())
            .selfSigned(otherKey.getPrivate())
            .ca(-1)
            .build();
    var result = new ChainVerifier(4).verify(List.of(leaf, intermediate), List.of(other), T);
    assertThat(((ChainVerifier.Result.Invalid) result).failure())
        .isEqualTo(ChainVerifier.Failure.UNTRUSTED);
  }

  @Test
  void verify_forgedIssuerWithSameName_isSignatureFailure() {
    KeyPair forgedKey = CertBuilder.ecKeyPair("secp384r1");
    X509Certificate forged =
        CertBuilder.subject("CN=Test Intermediate", forgedKey.getPublic())
            .issuer(root, rootKey.getPrivate())
            .ca(0)
            .build();
    var result = new ChainVerifier(4).verify(List.of(leaf, forged), List.of(root), T);
    assertThat(((ChainVerifier.Result.Invalid) result).failure())
        .isEqualTo(ChainVerifier.Failure.SIGNATURE);
  }

  @Test
  void crl_revokedLeaf_isFound_andStaleCrlIsReported() {
    var path =
        ((ChainVerifier.Result.Valid)
                new ChainVerifier(4).verify(List.of(leaf, intermediate), List.of(root), T))
            .path();
    var crl =
        CertBuilder.crl(
            intermediate,
            intermediateKey.getPrivate(),
            T.minusSeconds(3600),
            T.plusSeconds(3600),
            List.of(BigInteger.TEN));
    var rootCrl =
        CertBuilder.crl(
            root, rootKey.getPrivate(), T.minusSeconds(3600), T.plusSeconds(3600), List.of());
    var outcome = CrlChecker.check(path, List.of(crl, rootCrl), T, false);
    assertThat(outcome.status()).isEqualTo(CrlChecker.Status.CHECKED);
    assertThat(outcome.findings()).extracting(CrlChecker.Finding::kind).containsExactly("REVOKED");
    var stale = CrlChecker.check(path, List.of(crl), T.plusSeconds(7200), false);
    assertThat(stale.findings()).extracting(CrlChecker.Finding::kind).containsExactly("STALE");
    assertThat(stale.status()).isEqualTo(CrlChecker.Status.UNCHECKED);
    assertThat(CrlChecker.check(path, List.of(), T, false).status())
        .isEqualTo(CrlChecker.Status.UNCHECKED);
  }
}
