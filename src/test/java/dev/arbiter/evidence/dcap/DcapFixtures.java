// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.internal.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * A generated stand-in for Intel's DCAP PKI (root CA, PCK Platform CA, a PCK leaf carrying the
 * Intel SGX extension, a TCB signing certificate, CRLs) that signs synthetic TDX/SGX quotes ({@link
 * QuoteBuilder}) and collateral ({@link CollateralBuilder}). Reusable by any test that needs real,
 * verifiable DCAP evidence: e.g. {@code fixtures.tdxQuote().reportData(b).build()} plus {@code
 * fixtures.collateral(true)} verifies under {@code new TdxScheme(fixtures.trust())}.
 */
public final class DcapFixtures {
  /** A time at which everything generated here is valid. */
  public static final Instant NOW = Instant.parse("2025-06-20T00:00:00Z");

  public static final byte[] DEFAULT_FMSPC = Hex.decode("00906ed50000");
  public static final int[] DEFAULT_COMPONENTS = {5, 5, 2, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  public static final int DEFAULT_PCESVN = 11;

  public final KeyPair rootKey = CertBuilder.ecKeyPair("secp256r1");
  public final KeyPair pckCaKey = CertBuilder.ecKeyPair("secp256r1");
  public final KeyPair pckKey = CertBuilder.ecKeyPair("secp256r1");
  public final KeyPair tcbSignerKey = CertBuilder.ecKeyPair("secp256r1");
  public final X509Certificate root;
  public final X509Certificate pckCa;
  public final X509Certificate pck;
  public final X509Certificate tcbSigner;

  private DcapFixtures(byte[] fmspc, int[] components, int pceSvn) {
    root =
        CertBuilder.subject("CN=Test SGX Root CA,O=Arbiter Test,C=US", rootKey.getPublic())
            .selfSigned(rootKey.getPrivate())
            .ca(-1)
            .build();
    pckCa =
        CertBuilder.subject("CN=Test SGX PCK Platform CA,O=Arbiter Test,C=US", pckCaKey.getPublic())
            .issuer(root, rootKey.getPrivate())
            .ca(0)
            .build();
    pck =
        pckCertificate(
            pckKey,
            pckCa,
            pckCaKey.getPrivate(),
            fmspc,
            components,
            pceSvn,
            Instant.parse("2024-01-01T00:00:00Z"),
            Instant.parse("2031-01-01T00:00:00Z"));
    tcbSigner =
        CertBuilder.subject("CN=Test SGX TCB Signing,O=Arbiter Test,C=US", tcbSignerKey.getPublic())
            .issuer(root, rootKey.getPrivate())
            .build();
  }

  /** A PKI whose PCK certificate has the default FMSPC and TCB. */
  public static DcapFixtures create() {
    return new DcapFixtures(DEFAULT_FMSPC, DEFAULT_COMPONENTS, DEFAULT_PCESVN);
  }

  /** A PKI whose PCK certificate has the given FMSPC, component SVNs and PCESVN. */
  public static DcapFixtures create(byte[] fmspc, int[] components, int pceSvn) {
    return new DcapFixtures(fmspc, components, pceSvn);
  }

  /** Trust configuration with this PKI's root as the only anchor. */
  public DcapTrust trust() {
    return DcapTrust.withRoots(List.of(root));
  }

  /** A TDX quote builder (v4, TD 1.0) signed by this PKI. */
  public QuoteBuilder tdxQuote() {
    return new QuoteBuilder(this, true);
  }

  /** An SGX quote builder (v3) signed by this PKI. */
  public QuoteBuilder sgxQuote() {
    return new QuoteBuilder(this, false);
  }

  /** A TCB Info / QE Identity builder signed by this PKI's TCB signing key. */
  public CollateralBuilder collateralBuilder(boolean tdx) {
    return new CollateralBuilder(this, tdx);
  }

  /** Complete, current collateral: TCB Info, QE Identity, TCB signing chain and both CRLs. */
  public List<EvidenceInput.Collateral> collateral(boolean tdx) {
    return collateralBuilder(tdx).files();
  }

  /** The PCK chain as it is embedded in quotes: leaf, PCK CA, root (PEM). */
  public byte[] pckChainPem() {
    return (Certificates.toPem(pck) + Certificates.toPem(pckCa) + Certificates.toPem(root))
        .getBytes(StandardCharsets.US_ASCII);
  }

  public byte[] tcbSigningChainPem() {
    return (Certificates.toPem(tcbSigner) + Certificates.toPem(root))
        .getBytes(StandardCharsets.US_ASCII);
  }

  public X509CRL rootCrl(List<BigInteger> revoked) {
    return CertBuilder.crl(
        root,
        rootKey.getPrivate(),
        NOW.minus(Duration.ofDays(30)),
        NOW.plus(Duration.ofDays(300)),
        revoked);
  }

  /** The root CA's CRL (nothing revoked), valid {@code thisUpdate..nextUpdate}. */
  public X509CRL pckCrlFromRoot(Instant thisUpdate, Instant nextUpdate) {
    return CertBuilder.crl(root, rootKey.getPrivate(), thisUpdate, nextUpdate, List.of());
  }

  /** Complete collateral current at {@code at} (e.g. the real clock of an end-to-end test). */
  public List<EvidenceInput.Collateral> collateral(boolean tdx, Instant at) {
    return collateralBuilder(tdx).currentAt(at).files();
  }

  public X509CRL pckCrl(List<BigInteger> revoked) {
    return pckCrl(revoked, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(29)));
  }

  public X509CRL pckCrl(List<BigInteger> revoked, Instant thisUpdate, Instant nextUpdate) {
    return CertBuilder.crl(pckCa, pckCaKey.getPrivate(), thisUpdate, nextUpdate, revoked);
  }

  public static EvidenceInput.Collateral file(String name, X509CRL crl) {
    try {
      return new EvidenceInput.Collateral(name, crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PCK certificate with the Intel SGX extension. */
  public static X509Certificate pckCertificate(
      KeyPair key,
      X509Certificate issuer,
      PrivateKey issuerKey,
      byte[] fmspc,
      int[] components,
      int pceSvn,
      Instant from,
      Instant to) {
    return CertBuilder.subject("CN=Test SGX PCK Certificate,O=Arbiter Test,C=US", key.getPublic())
        .issuer(issuer, issuerKey)
        .validity(from, to)
        .extension(PckExtensions.SGX_EXTENSION_OID, sgxExtension(fmspc, components, pceSvn))
        .build();
  }

  static ASN1Sequence sgxExtension(byte[] fmspc, int[] components, int pceSvn) {
    String base = PckExtensions.SGX_EXTENSION_OID;
    ASN1EncodableVector tcb = new ASN1EncodableVector();
    byte[] cpuSvn = new byte[16];
    for (int i = 0; i < 16; i++) {
      tcb.add(entry(base + ".2." + (i + 1), new ASN1Integer(components[i])));
      cpuSvn[i] = (byte) components[i];
    }
    tcb.add(entry(base + ".2.17", new ASN1Integer(pceSvn)));
    tcb.add(entry(base + ".2.18", new DEROctetString(cpuSvn)));
    ASN1EncodableVector all = new ASN1EncodableVector();
    all.add(entry(base + ".1", new DEROctetString(new byte[16])));
    all.add(entry(base + ".2", new DERSequence(tcb)));
    all.add(entry(base + ".3", new DEROctetString(new byte[2])));
    all.add(entry(base + ".4", new DEROctetString(fmspc)));
    all.add(entry(base + ".5", new ASN1Enumerated(1)));
    return new DERSequence(all);
  }

  private static DERSequence entry(String oid, org.bouncycastle.asn1.ASN1Encodable value) {
    return new DERSequence(
        new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(oid), value});
  }

  /** ECDSA P-256 / SHA-256 signature as raw r || s. */
  public static byte[] signRaw(PrivateKey key, byte[] data) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(data);
      ASN1Sequence der = ASN1Sequence.getInstance(signer.sign());
      byte[] out = new byte[64];
      copyUnsigned(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), out, 0);
      copyUnsigned(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), out, 32);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyUnsigned(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 32 ? bytes.length - 32 : 0;
    int length = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + 32 - length, length);
  }

  /** A byte array of {@code length} filled with {@code value}. */
  public static byte[] filled(int length, int value) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) value);
    return out;
  }

  static List<EvidenceInput.Collateral> list(EvidenceInput.Collateral... files) {
    return new ArrayList<>(List.of(files));
  }
}
