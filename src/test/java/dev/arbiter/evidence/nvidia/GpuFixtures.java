// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.crypto.CertBuilder;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A test NVIDIA device PKI with the real chains' structure and names: {@code <chip> A01 GSP FMC LF}
 * (the attestation key, FWID extension) -> {@code <chip> A01 GSP BROM} -> {@code NVIDIA <chip>
 * Provisioner ICA ...} -> {@code NVIDIA <chip> Identity} -> a test Device Identity CA; Hopper's
 * FWID sits in a CompositeDeviceID under 2.23.133.5.4.1, Blackwell's in a DICE TcbInfo under
 * 2.23.133.5.4.1.1. Reports are synthetic SPDM 1.1 GET_MEASUREMENTS request/response pairs signed
 * by the leaf. Test code only.
 */
public final class GpuFixtures {
  static final byte[] FWID = filled(48, 0x5a);
  static final String VBIOS = "96.00.9f.00.01";
  static final String DRIVER = "550.90.07";
  static final String BLACKWELL_VBIOS = "97.00.e4.00.1e";
  static final String BLACKWELL_DRIVER = "595.91.07";

  final GpuArchitecture architecture;
  final String chip;
  final KeyPair rootKey = CertBuilder.ecKeyPair("secp384r1");
  public final X509Certificate root;
  final KeyPair identityKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate identity;
  final KeyPair caKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate ca;
  final KeyPair bromKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate brom;
  final KeyPair leafKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate leaf;

  /** A Hopper (GH100) device. */
  public GpuFixtures() {
    this(GpuArchitecture.HOPPER, "GH100", null, null);
  }

  /** A Blackwell (GB100) device. */
  static GpuFixtures blackwell() {
    return new GpuFixtures(GpuArchitecture.BLACKWELL, "GB100", null, null);
  }

  /** A Blackwell (GB100) device under this fixture's root. */
  public GpuFixtures blackwellSibling() {
    return new GpuFixtures(GpuArchitecture.BLACKWELL, "GB100", this, null);
  }

  /** Another device of the same generation under the same root. */
  GpuFixtures sibling() {
    return new GpuFixtures(architecture, chip, this, null);
  }

  /** The same generation under a new root whose provisioner CA has the given CN. */
  GpuFixtures withProvisioner(String commonName) {
    return new GpuFixtures(architecture, chip, null, commonName);
  }

  private GpuFixtures(
      GpuArchitecture architecture, String chip, GpuFixtures sameRoot, String provisioner) {
    this.architecture = architecture;
    this.chip = chip;
    root =
        sameRoot != null
            ? sameRoot.root
            : CertBuilder.subject("CN=Test Device Identity CA,O=Test", rootKey.getPublic())
                .selfSigned(rootKey.getPrivate())
                .ca(4)
                .build();
    KeyPair rootSigner = sameRoot != null ? sameRoot.rootKey : rootKey;
    identity =
        CertBuilder.subject(
                "CN=NVIDIA " + chip + " Identity,O=NVIDIA Corporation", identityKey.getPublic())
            .issuer(root, rootSigner.getPrivate())
            .ca(3)
            .build();
    String ica = architecture == GpuArchitecture.HOPPER ? "1" : "00000";
    String caName =
        provisioner != null ? provisioner : "NVIDIA " + chip + " Provisioner ICA " + ica;
    ca =
        CertBuilder.subject("CN=" + caName + ",O=NVIDIA Corporation,C=US", caKey.getPublic())
            .issuer(identity, identityKey.getPrivate())
            .ca(2)
            .build();
    brom =
        CertBuilder.subject(
                "CN=" + chip + " A01 GSP BROM,O=NVIDIA Corporation,C=US", bromKey.getPublic())
            .issuer(ca, caKey.getPrivate())
            .ca(1)
            .build();
    leaf = leaf(leafKey, FWID);
  }

  X509Certificate leaf(KeyPair key, byte[] fwid) {
    return leaf(key, fwid, architecture.fwidOid());
  }

  /** An attestation certificate with the FWID under {@code oid} in this generation's layout. */
  X509Certificate leaf(KeyPair key, byte[] fwid, String oid) {
    return leafWithExtension(key, oid, fwid == null ? null : fwidExtension(key, fwid));
  }

  /** An attestation certificate with {@code value} (if any) as the extension {@code oid}. */
  X509Certificate leafWithExtension(KeyPair key, String oid, ASN1Encodable value) {
    CertBuilder builder =
        CertBuilder.subject(
                "CN=" + chip + " A01 GSP FMC LF,O=NVIDIA Corporation,C=US", key.getPublic())
            .issuer(brom, bromKey.getPrivate());
    if (value != null) {
      builder.extension(oid, value);
    }
    return builder.build();
  }

  /**
   * Hopper: CompositeDeviceID {@code SEQUENCE {1, SubjectPublicKeyInfo, FWID}}; Blackwell: DICE
   * TcbInfo {@code SEQUENCE {vendor [0], model [1], version [2], svn [3], layer [4], fwids [6]}}.
   */
  ASN1Encodable fwidExtension(KeyPair key, byte[] fwid) {
    ASN1Encodable digest =
        new DERSequence(
            new ASN1Encodable[] {
              new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.2"), new DEROctetString(fwid)
            });
    if (architecture == GpuArchitecture.HOPPER) {
      return new DERSequence(
          new ASN1Encodable[] {
            new ASN1Integer(1),
            SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
            digest
          });
    }
    return new DERSequence(
        new ASN1Encodable[] {
          new DERTaggedObject(false, 0, new DERUTF8String("NVIDIA")),
          new DERTaggedObject(false, 1, new DERUTF8String(chip + " A01 GSP FMC")),
          new DERTaggedObject(false, 2, new DERUTF8String("97.00.E4.00.1E")),
          new DERTaggedObject(false, 3, new ASN1Integer(2)),
          new DERTaggedObject(false, 4, new ASN1Integer(1)),
          new DERTaggedObject(false, 6, new DERSequence(digest))
        });
  }

  public static byte[] filled(int length, int value) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) value);
    return out;
  }

  /** Measurement index (1-based) -> 48-byte value {@code index}. */
  static Map<Integer, byte[]> measurements(int count) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int i = 1; i <= count; i++) {
      out.put(i, filled(48, i));
    }
    return out;
  }

  static Map<Integer, byte[]> opaque(byte[] fwid) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    out.put(
        OpaqueData.VBIOS_VERSION, new byte[] {0x00, (byte) 0x9f, 0x00, (byte) 0x96, 0x01, 0, 0, 0});
    out.put(OpaqueData.DRIVER_VERSION, text(DRIVER));
    out.put(17, text("1010"));
    if (fwid != null) {
      out.put(OpaqueData.FWID, fwid);
    }
    return out;
  }

  /** Blackwell's opaque data as a GB100 signs it: versions, board, CHIP_INFO, feature flag. */
  static Map<Integer, byte[]> blackwellOpaque(byte[] fwid, String chipInfo) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    out.put(
        OpaqueData.VBIOS_VERSION, new byte[] {0x00, (byte) 0xe4, 0x00, (byte) 0x97, 0x1e, 0, 0, 0});
    out.put(OpaqueData.DRIVER_VERSION, text(BLACKWELL_DRIVER));
    out.put(15, text("886"));
    out.put(17, text("G525"));
    out.put(18, text("0220"));
    if (fwid != null) {
      out.put(OpaqueData.FWID, fwid);
    }
    out.put(21, new byte[] {0x55});
    out.put(34, new byte[] {1, 0, 0, 0});
    out.put(OpaqueData.CHIP_INFO, text(chipInfo));
    out.put(36, new byte[] {1});
    return out;
  }

  static byte[] text(String value) {
    return (value + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Request and response bytes before the signature. */
  static byte[] unsigned(
      int version, byte[] nonce, Map<Integer, byte[]> blocks, Map<Integer, byte[]> opaque) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) version, (byte) 0xE0, 0x01, (byte) 0xff});
    out.writeBytes(nonce);
    out.write(0);
    out.writeBytes(new byte[] {(byte) version, 0x60, 0, 0, (byte) blocks.size()});
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    for (var block : blocks.entrySet()) {
      record.write(block.getKey());
      record.write(1);
      le16(record, block.getValue().length + 3);
      record.write(1);
      le16(record, block.getValue().length);
      record.writeBytes(block.getValue());
    }
    int length = record.size();
    out.writeBytes(new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16)});
    out.writeBytes(record.toByteArray());
    out.writeBytes(filled(32, 0x77));
    ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
    for (var tlv : opaque.entrySet()) {
      le16(tlvs, tlv.getKey());
      le16(tlvs, tlv.getValue().length);
      tlvs.writeBytes(tlv.getValue());
    }
    le16(out, tlvs.size());
    out.writeBytes(tlvs.toByteArray());
    return out.toByteArray();
  }

  static byte[] sign(PrivateKey key, byte[] unsigned) throws Exception {
    Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(unsigned);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(unsigned);
    out.writeBytes(signer.sign());
    return out.toByteArray();
  }

  public byte[] report(byte[] nonce) throws Exception {
    return sign(leafKey.getPrivate(), unsigned(0x11, nonce, measurements(8), defaultOpaque(FWID)));
  }

  Map<Integer, byte[]> defaultOpaque(byte[] fwid) {
    return architecture == GpuArchitecture.HOPPER ? opaque(fwid) : blackwellOpaque(fwid, chip);
  }

  /** The chain as the GPU hands it over: leaf, BROM, provisioner ICA, identity, root. */
  public String chainPem() {
    return chainPem(leaf, brom, ca, identity, root);
  }

  static String chainPem(X509Certificate... certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      out.append(dev.arbiter.crypto.Certificates.toPem(certificate));
    }
    return out.toString();
  }

  private static void le16(ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >> 8);
  }
}
