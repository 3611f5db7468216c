// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues X.509 certificates and CRLs (Bouncy Castle): Arbiter's local admin CA, server and client
 * certificates, and the test PKIs that stand in for vendor roots in tests. Not thread-safe; build
 * one per certificate.
 */
public final class CertBuilder {
  private static final SecureRandom RANDOM = new SecureRandom();

  private X500Principal subject;
  private PublicKey publicKey;
  private X500Principal issuer;
  private PrivateKey issuerKey;
  private Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
  private Instant notAfter = Instant.parse("2099-01-01T00:00:00Z");
  private BigInteger serial = new BigInteger(63, RANDOM);
  private int pathLength = -2; // -2: not a CA
  private String signatureAlgorithm;
  private final List<String> dnsNames = new ArrayList<>();
  private final List<String> ipAddresses = new ArrayList<>();
  private final List<ASN1ObjectIdentifier> extendedUsages = new ArrayList<>();
  private final List<Object[]> extraExtensions = new ArrayList<>();

  public static CertBuilder subject(String distinguishedName, PublicKey publicKey) {
    CertBuilder builder = new CertBuilder();
    builder.subject = new X500Principal(distinguishedName);
    builder.publicKey = publicKey;
    return builder;
  }

  /** Signs with the issuer certificate's subject name and the given key. */
  public CertBuilder issuer(X509Certificate issuerCertificate, PrivateKey key) {
    this.issuer = issuerCertificate.getSubjectX500Principal();
    this.issuerKey = key;
    return this;
  }

  /** Self-signed: issuer = subject, signed by {@code key}. */
  public CertBuilder selfSigned(PrivateKey key) {
    this.issuer = subject;
    this.issuerKey = key;
    return this;
  }

  public CertBuilder validity(Instant from, Instant to) {
    this.notBefore = from;
    this.notAfter = to;
    return this;
  }

  public CertBuilder serial(BigInteger value) {
    this.serial = value;
    return this;
  }

  /** Marks a CA certificate; {@code pathLength} -1 for unlimited. */
  public CertBuilder ca(int pathLength) {
    this.pathLength = pathLength;
    return this;
  }

  public CertBuilder dnsName(String name) {
    dnsNames.add(name);
    return this;
  }

  public CertBuilder ipAddress(String address) {
    ipAddresses.add(address);
    return this;
  }

  public CertBuilder serverAuth() {
    extendedUsages.add(KeyPurposeId.id_kp_serverAuth.toOID());
    return this;
  }

  public CertBuilder clientAuth() {
    extendedUsages.add(KeyPurposeId.id_kp_clientAuth.toOID());
    return this;
  }

  /** Adds a non-critical extension with the given DER-encodable value (e.g. AMD's TCB OIDs). */
  public CertBuilder extension(String oid, ASN1Encodable value) {
    extraExtensions.add(new Object[] {new ASN1ObjectIdentifier(oid), value});
    return this;
  }

  /** Overrides the signature algorithm (default: from the issuer key type). */
  public CertBuilder signatureAlgorithm(String algorithm) {
    this.signatureAlgorithm = algorithm;
    return this;
  }

  public X509Certificate build() {
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      if (pathLength != -2) {
        builder.addExtension(
            Extension.basicConstraints,
            true,
            pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
        builder.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      } else {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      }
      if (!extendedUsages.isEmpty()) {
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                extendedUsages.stream()
                    .map(KeyPurposeId::getInstance)
                    .toArray(KeyPurposeId[]::new)));
      }
      if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      for (Object[] extra : extraExtensions) {
        builder.addExtension((ASN1ObjectIdentifier) extra[0], false, (ASN1Encodable) extra[1]);
      }
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(signer(issuerKey, signatureAlgorithm)));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue certificate: " + e.getMessage(), e);
    }
  }

  /**
   * A CRL from {@code issuer} listing {@code revokedSerials}, valid {@code thisUpdate..nextUpdate}.
   */
  public static X509CRL crl(
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant thisUpdate,
      Instant nextUpdate,
      List<BigInteger> revokedSerials) {
    try {
      var builder =
          new X509v2CRLBuilder(
              org.bouncycastle.asn1.x500.X500Name.getInstance(
                  issuer.getSubjectX500Principal().getEncoded()),
              Date.from(thisUpdate));
      builder.setNextUpdate(Date.from(nextUpdate));
      for (BigInteger serial : revokedSerials) {
        builder.addCRLEntry(
            serial, Date.from(thisUpdate), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
      }
      return new JcaX509CRLConverter().getCRL(builder.build(signer(issuerKey, null)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue CRL: " + e.getMessage(), e);
    }
  }

  private static ContentSigner signer(PrivateKey key, String algorithm)
      throws OperatorCreationException {
    String chosen = algorithm;
    if (chosen == null) {
      chosen =
          switch (key.getAlgorithm()) {
            case "EC" ->
                ((java.security.interfaces.ECKey) key)
                            .getParams()
                            .getCurve()
                            .getField()
                            .getFieldSize()
                        > 256
                    ? "SHA384withECDSA"
                    : "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default ->
                throw new IllegalArgumentException("unsupported issuer key: " + key.getAlgorithm());
          };
    }
    return new JcaContentSignerBuilder(chosen).build(key);
  }

  /** A fresh EC key pair on {@code secp256r1} or {@code secp384r1}. */
  public static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
