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
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

/**
 * A test NVIDIA device PKI (root, provisioner CA, attestation leaf with an FWID extension) and
 * synthetic SPDM 1.1 GET_MEASUREMENTS request/response pairs signed by the leaf. Test code only.
 */
public final class GpuFixtures {
  static final byte[] FWID = filled(48, 0x5a);
  static final String VBIOS = "96.00.9f.00.01";
  static final String DRIVER = "550.90.07";

  final KeyPair rootKey = CertBuilder.ecKeyPair("secp384r1");
  public final X509Certificate root =
      CertBuilder.subject("CN=Test Device Identity CA,O=Test", rootKey.getPublic())
          .selfSigned(rootKey.getPrivate())
          .ca(3)
          .build();
  final KeyPair caKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate ca =
      CertBuilder.subject("CN=Test GH100 Provisioner", caKey.getPublic())
          .issuer(root, rootKey.getPrivate())
          .ca(2)
          .build();
  final KeyPair leafKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate leaf = leaf(leafKey, FWID);

  X509Certificate leaf(KeyPair key, byte[] fwid) {
    CertBuilder builder =
        CertBuilder.subject("CN=Test GSP FMC LF", key.getPublic()).issuer(ca, caKey.getPrivate());
    if (fwid != null) {
      builder.extension(
          DeviceIdentity.TCG_DICE_FWID,
          new DERSequence(new ASN1Encodable[] {new DEROctetString(fwid)}));
    }
    return builder.build();
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
    out.put(
        OpaqueData.DRIVER_VERSION,
        (DRIVER + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.put(17, "1010\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    if (fwid != null) {
      out.put(OpaqueData.FWID, fwid);
    }
    return out;
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
    return sign(leafKey.getPrivate(), unsigned(0x11, nonce, measurements(8), opaque(FWID)));
  }

  public String chainPem() {
    return dev.arbiter.crypto.Certificates.toPem(leaf)
        + dev.arbiter.crypto.Certificates.toPem(ca)
        + dev.arbiter.crypto.Certificates.toPem(root);
  }

  private static void le16(ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >> 8);
  }
}
