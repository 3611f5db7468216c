// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * The FWID an attestation certificate carries, read per the generation's layout.
 *
 * <ul>
 *   <li>{@link GpuArchitecture.FwidLayout#TRAILING_DIGEST} (Hopper, OID 2.23.133.5.4.1): the last
 *       48 bytes of the extension value, as nvtrust reads it (the value is a CompositeDeviceID
 *       {@code SEQUENCE {version, SubjectPublicKeyInfo, FWID}} ending in the SHA-384 digest);
 *   <li>{@link GpuArchitecture.FwidLayout#DICE_TCB_INFO} (Blackwell, OID 2.23.133.5.4.1.1): a TCG
 *       DICE {@code DiceTcbInfo} (TCG DICE Attestation Architecture, {@code vendor [0]}, {@code
 *       model [1]}, {@code version [2]}, {@code svn [3]}, {@code layer [4]}, {@code index [5]},
 *       {@code fwids [6] SEQUENCE OF FWID}, {@code flags [7]}, ... all IMPLICIT); the FWID is the
 *       digest of the first {@code FWID ::= SEQUENCE {hashAlg OID, digest OCTET STRING}}, as
 *       NVIDIA's SDK reads it. The value must be exactly one DER structure (nothing after it).
 * </ul>
 *
 * @param digest the FWID
 * @param details the TcbInfo's text and number fields (empty for Hopper)
 */
record FwidExtension(byte[] digest, Map<String, Object> details) {
  FwidExtension {
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * @param extensionValue {@code X509Certificate.getExtensionValue}: the DER OCTET STRING
   * @throws SpdmFormatException when the value does not have the generation's layout
   */
  static FwidExtension read(byte[] extensionValue, GpuArchitecture architecture)
      throws SpdmFormatException {
    byte[] value;
    try {
      value = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(extensionValue)).getOctets();
    } catch (IOException | RuntimeException e) {
      throw new SpdmFormatException("the FWID extension is not an OCTET STRING");
    }
    int size = architecture.digestSize();
    return switch (architecture.fwidLayout()) {
      case TRAILING_DIGEST -> {
        if (value.length < size) {
          throw new SpdmFormatException(
              "the FWID extension holds " + value.length + " bytes, fewer than " + size);
        }
        yield new FwidExtension(
            Arrays.copyOfRange(value, value.length - size, value.length), Map.of());
      }
      case DICE_TCB_INFO -> tcbInfo(value, size);
    };
  }

  private static FwidExtension tcbInfo(byte[] value, int size) throws SpdmFormatException {
    ASN1Sequence info;
    try {
      info = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(value));
    } catch (IOException | RuntimeException e) {
      throw new SpdmFormatException(
          "the FWID extension is not one DER DiceTcbInfo SEQUENCE (TCG DICE)");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    byte[] digest = null;
    int previous = -1;
    for (ASN1Encodable element : info) {
      if (!(element instanceof ASN1TaggedObject tagged)
          || tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC
          || tagged.getTagNo() <= previous) {
        throw new SpdmFormatException(
            "DiceTcbInfo holds an element that is not a context-specific field in tag order");
      }
      previous = tagged.getTagNo();
      try {
        switch (tagged.getTagNo()) {
          case 0, 1, 2 ->
              details.put(
                  switch (tagged.getTagNo()) {
                    case 0 -> "vendor";
                    case 1 -> "model";
                    default -> "version";
                  },
                  text(tagged));
          case 3, 4, 5 ->
              details.put(
                  switch (tagged.getTagNo()) {
                    case 3 -> "svn";
                    case 4 -> "layer";
                    default -> "index";
                  },
                  ASN1Integer.getInstance(tagged, false).longValueExact());
          case 6 -> digest = firstFwid(ASN1Sequence.getInstance(tagged, false), size);
          default -> {
            // flags, vendorInfo, type, flagsMask, integrity registers: covered by the
            // certificate signature, not needed here.
          }
        }
      } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
        throw new SpdmFormatException(
            "DiceTcbInfo field [" + tagged.getTagNo() + "] does not decode");
      }
    }
    if (digest == null) {
      throw new SpdmFormatException("DiceTcbInfo has no fwids [6]");
    }
    return new FwidExtension(digest, details);
  }

  private static byte[] firstFwid(ASN1Sequence fwids, int size) throws SpdmFormatException {
    if (fwids.size() == 0) {
      throw new SpdmFormatException("DiceTcbInfo fwids [6] is empty");
    }
    ASN1Sequence fwid = ASN1Sequence.getInstance(fwids.getObjectAt(0));
    if (fwid.size() != 2) {
      throw new SpdmFormatException("FWID is not SEQUENCE {hashAlg, digest}");
    }
    ASN1ObjectIdentifier.getInstance(fwid.getObjectAt(0));
    byte[] digest = ASN1OctetString.getInstance(fwid.getObjectAt(1)).getOctets();
    if (digest.length != size) {
      throw new SpdmFormatException(
          "the first FWID digest holds " + digest.length + " bytes, not " + size);
    }
    return digest;
  }

  private static String text(ASN1TaggedObject tagged) {
    ASN1Primitive inner = DERUTF8String.getInstance(tagged, false);
    return ((ASN1String) inner).getString();
  }
}
