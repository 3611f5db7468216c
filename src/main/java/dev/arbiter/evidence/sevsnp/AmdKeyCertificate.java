// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * A VCEK or VLEK certificate with AMD's extensions (OID arc 1.3.6.1.4.1.3704.1): .2 productName,
 * .3.1 blSPL, .3.2 teeSPL, .3.3 snpSPL, .3.8 ucodeSPL, .3.9 fmcSPL (Turin), .4 hwID (VCEK: the
 * chip_id, 64 bytes, 8 on Turin; either an OCTET STRING or, in older certificates, the raw bytes),
 * .5 csp_id (VLEK). The key must be EC P-384. Parsing trusts nothing: the chain is checked
 * separately.
 */
record AmdKeyCertificate(
    X509Certificate certificate,
    PublicKey publicKey,
    Optional<String> productName,
    Optional<TcbVersion> tcb,
    Optional<byte[]> hwId,
    Optional<String> cspId) {
  static final String ARC = "1.3.6.1.4.1.3704.1.";
  static final String PRODUCT_NAME = ARC + "2";
  static final String BL_SPL = ARC + "3.1";
  static final String TEE_SPL = ARC + "3.2";
  static final String SNP_SPL = ARC + "3.3";
  static final String UCODE_SPL = ARC + "3.8";
  static final String FMC_SPL = ARC + "3.9";
  static final String HW_ID = ARC + "4";
  static final String CSP_ID = ARC + "5";

  /** True when the certificate carries an EC P-384 key (a VCEK or VLEK, not an ASK/ARK). */
  static boolean isKeyCertificate(X509Certificate certificate) {
    return certificate.getPublicKey() instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() == 384
        && certificate.getBasicConstraints() < 0;
  }

  /**
   * @throws ProblemException CERTIFICATE_MALFORMED when the key or an AMD extension is malformed
   */
  static AmdKeyCertificate parse(X509Certificate certificate) {
    if (!isKeyCertificate(certificate)) {
      throw new ProblemException(
          EvidenceProblem.CERTIFICATE_MALFORMED,
          "the VCEK/VLEK must be an end-entity certificate with an EC P-384 key");
    }
    try {
      Optional<String> productName = string(certificate, PRODUCT_NAME);
      Optional<Long> bl = integer(certificate, BL_SPL);
      Optional<Long> tee = integer(certificate, TEE_SPL);
      Optional<Long> snp = integer(certificate, SNP_SPL);
      Optional<Long> ucode = integer(certificate, UCODE_SPL);
      Optional<Long> fmc = integer(certificate, FMC_SPL);
      Optional<TcbVersion> tcb = Optional.empty();
      if (bl.isPresent() && tee.isPresent() && snp.isPresent() && ucode.isPresent()) {
        tcb =
            Optional.of(
                new TcbVersion(
                    spl(bl.get()),
                    spl(tee.get()),
                    spl(snp.get()),
                    spl(ucode.get()),
                    fmc.map(AmdKeyCertificate::spl).orElse(-1)));
      }
      return new AmdKeyCertificate(
          certificate,
          certificate.getPublicKey(),
          productName,
          tcb,
          hwId(certificate),
          string(certificate, CSP_ID));
    } catch (IOException | RuntimeException e) {
      throw new ProblemException(
          EvidenceProblem.CERTIFICATE_MALFORMED,
          "malformed AMD extension in the VCEK/VLEK: " + e.getMessage());
    }
  }

  private static int spl(long value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("SPL out of range: " + value);
    }
    return (int) value;
  }

  /** The extension's inner value (the contents of the extnValue OCTET STRING), if present. */
  private static Optional<byte[]> inner(X509Certificate certificate, String oid)
      throws IOException {
    byte[] wrapped = certificate.getExtensionValue(oid);
    if (wrapped == null) {
      return Optional.empty();
    }
    return Optional.of(
        ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(wrapped)).getOctets());
  }

  private static Optional<String> string(X509Certificate certificate, String oid)
      throws IOException {
    Optional<byte[]> inner = inner(certificate, oid);
    if (inner.isEmpty()) {
      return Optional.empty();
    }
    ASN1Primitive value = ASN1Primitive.fromByteArray(inner.get());
    if (value instanceof ASN1String text) {
      return Optional.of(text.getString());
    }
    throw new IOException(oid + " is not a string");
  }

  private static Optional<Long> integer(X509Certificate certificate, String oid)
      throws IOException {
    Optional<byte[]> inner = inner(certificate, oid);
    if (inner.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        ASN1Integer.getInstance(ASN1Primitive.fromByteArray(inner.get())).longValueExact());
  }

  /** hwID: an OCTET STRING (current KDS) or the raw bytes (legacy certificates). */
  private static Optional<byte[]> hwId(X509Certificate certificate) throws IOException {
    Optional<byte[]> inner = inner(certificate, HW_ID);
    if (inner.isEmpty()) {
      return Optional.empty();
    }
    byte[] value = inner.get();
    boolean wrapped64 = value.length == 66 && value[0] == 0x04 && value[1] == 64;
    boolean wrapped8 = value.length == 10 && value[0] == 0x04 && value[1] == 8;
    if (wrapped64 || wrapped8) {
      return Optional.of(java.util.Arrays.copyOfRange(value, 2, value.length));
    }
    if (value.length != 64 && value.length != 8) {
      throw new IOException("hwID is " + value.length + " bytes (expected 8 or 64)");
    }
    return Optional.of(value);
  }
}
