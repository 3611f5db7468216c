// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.crypto.CertBuilder;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;

/**
 * A test AMD PKI and synthetic SEV-SNP reports, for this package's tests and for end-to-end tests
 * elsewhere: an RSA ARK that issues an ASK and an ASVK, EC P-384 VCEKs and VLEKs with AMD's
 * extensions, and reports signed the way the AMD secure processor signs them (ECDSA P-384, r and s
 * little-endian). Key pairs are generated once per product and JVM.
 */
public final class SnpFixtures {
  /** A time inside every fixture certificate's validity. */
  public static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

  public static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
  public static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
  public static final TcbVersion TCB = new TcbVersion(4, 0, 24, 219, -1);
  public static final TcbVersion TURIN_TCB = new TcbVersion(1, 0, 2, 71, 0);
  private static final String PSS =
      "SHA384withRSA"; // AMD uses RSASSA-PSS; real-vector tests cover PSS
  private static final Map<Product, Pki> PKIS = new EnumMap<>(Product.class);

  private SnpFixtures() {}

  /** A test ARK with its ASK (VCEK issuer) and ASVK (VLEK issuer) for one product. */
  public record Pki(
      Product product,
      X509Certificate ark,
      KeyPair arkKey,
      X509Certificate ask,
      KeyPair askKey,
      X509Certificate asvk,
      KeyPair asvkKey) {
    public AmdTrust trust() {
      return AmdTrust.of(
          List.of(
              new AmdTrust.Anchor(product, SigningKey.VCEK, ask, ark),
              new AmdTrust.Anchor(product, SigningKey.VLEK, asvk, ark)));
    }

    /** A fresh scheme trusting only this PKI (fresh caches). */
    public SevSnpScheme scheme() {
      return new SevSnpScheme(trust());
    }
  }

  /** A VCEK or VLEK with its private key. */
  public record KeyCert(X509Certificate certificate, KeyPair key) {}

  /** Signed evidence ready for a scheme: the raw report and the DER VCEK that signed it. */
  public record Evidence(byte[] report, byte[] vcekDer, KeyCert vcek) {
    /**
     * As {@link dev.arbiter.evidence.EvidenceInput}: the report with its VCEK as a supplied
     * certificate.
     */
    public dev.arbiter.evidence.EvidenceInput input() {
      return dev.arbiter.evidence.EvidenceInput.of(report).withCertificates(List.of(vcekDer));
    }
  }

  /**
   * One call for end-to-end tests: a version-5 report from chip {@code chipSeed} of {@code product}
   * with the given report data, measurement and host data (each zero-padded), at the default TCB,
   * signed by a fresh VCEK of {@link #pki(Product)}. Verify it with {@code pki(product).scheme()}.
   */
  public static Evidence signedReport(
      Product product, int chipSeed, byte[] reportData, byte[] measurement, byte[] hostData) {
    Pki pki = pki(product);
    byte[] chipId = chipId(product, chipSeed);
    KeyCert vcek = vcek(pki, chipId, product == Product.TURIN ? TURIN_TCB : TCB);
    byte[] report =
        report(product)
            .chipId(chipId)
            .reportData(reportData)
            .measurement(measurement)
            .hostData(hostData)
            .signedBy(vcek.key().getPrivate());
    try {
      return new Evidence(report, vcek.certificate().getEncoded(), vcek);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shared test PKI for a product. */
  public static synchronized Pki pki(Product product) {
    return PKIS.computeIfAbsent(product, SnpFixtures::newPki);
  }

  /** A fresh PKI (not shared): for tests that need a second, untrusted AMD-like root. */
  public static Pki newPki(Product product) {
    String name = product.kdsName();
    KeyPair arkKey = CertBuilder.rsaKeyPair(2048);
    X509Certificate ark =
        CertBuilder.subject("CN=ARK-" + name + ",O=Arbiter Test AMD", arkKey.getPublic())
            .selfSigned(arkKey.getPrivate())
            .ca(1)
            .validity(NOT_BEFORE, NOT_AFTER)
            .signatureAlgorithm(PSS)
            .build();
    KeyPair askKey = CertBuilder.rsaKeyPair(2048);
    X509Certificate ask =
        CertBuilder.subject("CN=SEV-" + name + ",O=Arbiter Test AMD", askKey.getPublic())
            .issuer(ark, arkKey.getPrivate())
            .ca(0)
            .validity(NOT_BEFORE, NOT_AFTER)
            .signatureAlgorithm(PSS)
            .build();
    KeyPair asvkKey = CertBuilder.rsaKeyPair(2048);
    X509Certificate asvk =
        CertBuilder.subject("CN=SEV-VLEK-" + name + ",O=Arbiter Test AMD", asvkKey.getPublic())
            .issuer(ark, arkKey.getPrivate())
            .ca(0)
            .validity(NOT_BEFORE, NOT_AFTER)
            .signatureAlgorithm(PSS)
            .build();
    return new Pki(product, ark, arkKey, ask, askKey, asvk, asvkKey);
  }

  /** A VCEK for {@code chipId} at {@code tcb}, issued by the PKI's ASK. */
  public static KeyCert vcek(Pki pki, byte[] chipId, TcbVersion tcb) {
    return keyCert(pki, SigningKey.VCEK, chipId, tcb, NOT_BEFORE, NOT_AFTER);
  }

  /** A VLEK at {@code tcb}, issued by the PKI's ASVK (csp_id, no hwID). */
  public static KeyCert vlek(Pki pki, TcbVersion tcb) {
    return keyCert(pki, SigningKey.VLEK, null, tcb, NOT_BEFORE, NOT_AFTER);
  }

  /**
   * Full control over kind and validity. Turin VCEKs carry the first 8 bytes of the chip id and an
   * fmcSPL. {@code chipId} is ignored for VLEKs.
   */
  public static KeyCert keyCert(
      Pki pki, SigningKey kind, byte[] chipId, TcbVersion tcb, Instant from, Instant to) {
    KeyPair key = CertBuilder.ecKeyPair("secp384r1");
    boolean vcek = kind == SigningKey.VCEK;
    String productName = pki.product() == Product.MILAN ? "Milan-B0" : pki.product().kdsName();
    CertBuilder builder =
        CertBuilder.subject(
                vcek ? "CN=SEV-VCEK,O=Arbiter Test AMD" : "CN=SEV-VLEK,O=Arbiter Test AMD",
                key.getPublic())
            .issuer(
                vcek ? pki.ask() : pki.asvk(),
                vcek ? pki.askKey().getPrivate() : pki.asvkKey().getPrivate())
            .validity(from, to)
            .serial(BigInteger.valueOf(Math.abs(System.nanoTime() % 1_000_000_007L) + 1))
            .signatureAlgorithm(PSS)
            .extension(AmdKeyCertificate.ARC + "1", new ASN1Integer(1))
            .extension(AmdKeyCertificate.PRODUCT_NAME, new DERIA5String(productName))
            .extension(AmdKeyCertificate.BL_SPL, new ASN1Integer(tcb.bootloader()))
            .extension(AmdKeyCertificate.TEE_SPL, new ASN1Integer(tcb.tee()))
            .extension(AmdKeyCertificate.SNP_SPL, new ASN1Integer(tcb.snp()))
            .extension(AmdKeyCertificate.UCODE_SPL, new ASN1Integer(tcb.microcode()));
    if (tcb.fmc() >= 0) {
      builder.extension(AmdKeyCertificate.FMC_SPL, new ASN1Integer(tcb.fmc()));
    }
    if (vcek) {
      byte[] hwId = pki.product() == Product.TURIN ? Arrays.copyOf(chipId, 8) : chipId;
      builder.extension(AmdKeyCertificate.HW_ID, new DEROctetString(hwId));
    } else {
      builder.extension(AmdKeyCertificate.CSP_ID, new DERIA5String("CN=test-csp.example"));
    }
    return new KeyCert(builder.build(), key);
  }

  /** A chip id: 64 bytes derived from {@code seed} (Turin: 8 significant bytes, rest zero). */
  public static byte[] chipId(Product product, int seed) {
    byte[] out = new byte[64];
    int significant = product == Product.TURIN ? 8 : 64;
    for (int i = 0; i < significant; i++) {
      out[i] = (byte) (seed * 31 + i * 7 + 1);
    }
    return out;
  }

  /** A report builder with sensible defaults for {@code product} (version 5, VCEK, VMPL 0). */
  public static SnpReportBuilder report(Product product) {
    return new SnpReportBuilder(product);
  }

  /** Signs a report in place (bytes [0, 0x2A0)) the way the AMD-SP does; returns it. */
  public static byte[] sign(byte[] report, PrivateKey key) {
    try {
      Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
      signer.initSign(key);
      signer.update(report, 0, AttestationReport.SIGNED_LENGTH);
      byte[] rs = signer.sign();
      Arrays.fill(report, AttestationReport.SIGNATURE_OFFSET, AttestationReport.SIZE, (byte) 0);
      for (int part = 0; part < 2; part++) {
        for (int i = 0; i < 48; i++) {
          report[AttestationReport.SIGNATURE_OFFSET + part * 72 + i] = rs[part * 48 + 47 - i];
        }
      }
      return report;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
