// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1; Intel SGX PCK
 * Certificate and CRL Profile): the platform's FMSPC, PCE id, TCB (16 component SVNs, PCESVN,
 * CPUSVN) and SGX type (0 = Standard / Processor CA, 1 = Scalable / Platform CA).
 */
public record PckExtensions(
    byte[] ppid,
    int[] componentSvns,
    int pceSvn,
    byte[] cpuSvn,
    byte[] pceId,
    byte[] fmspc,
    int sgxType) {
  public static final String SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";

  /** Parses the extension of {@code certificate}; empty when absent or malformed. */
  public static Optional<PckExtensions> of(X509Certificate certificate) {
    byte[] raw = certificate.getExtensionValue(SGX_EXTENSION_OID);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      ASN1Primitive value =
          ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(raw).getOctets());
      return Optional.of(parse(ASN1Sequence.getInstance(value)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static PckExtensions parse(ASN1Sequence sequence) {
    byte[] ppid = null;
    byte[] pceId = null;
    byte[] fmspc = null;
    int[] components = null;
    int pceSvn = -1;
    byte[] cpuSvn = null;
    int sgxType = -1;
    for (ASN1Encodable element : sequence) {
      ASN1Sequence entry = ASN1Sequence.getInstance(element);
      String oid = ASN1ObjectIdentifier.getInstance(entry.getObjectAt(0)).getId();
      ASN1Encodable value = entry.getObjectAt(1);
      switch (oid) {
        case SGX_EXTENSION_OID + ".1" -> ppid = octets(value, 16);
        case SGX_EXTENSION_OID + ".3" -> pceId = octets(value, 2);
        case SGX_EXTENSION_OID + ".4" -> fmspc = octets(value, 6);
        case SGX_EXTENSION_OID + ".5" ->
            sgxType = ASN1Enumerated.getInstance(value).intValueExact();
        case SGX_EXTENSION_OID + ".2" -> {
          components = new int[16];
          java.util.Arrays.fill(components, -1);
          for (ASN1Encodable tcbElement : ASN1Sequence.getInstance(value)) {
            ASN1Sequence tcbEntry = ASN1Sequence.getInstance(tcbElement);
            String tcbOid = ASN1ObjectIdentifier.getInstance(tcbEntry.getObjectAt(0)).getId();
            String suffix = tcbOid.startsWith(oid + ".") ? tcbOid.substring(oid.length() + 1) : "";
            int index = suffix.matches("\\d{1,2}") ? Integer.parseInt(suffix) : -1;
            if (index >= 1 && index <= 16) {
              components[index - 1] = svn(tcbEntry.getObjectAt(1));
            } else if (index == 17) {
              pceSvn = svn(tcbEntry.getObjectAt(1));
            } else if (index == 18) {
              cpuSvn = octets(tcbEntry.getObjectAt(1), 16);
            }
          }
        }
        default -> {
          // PlatformInstanceID, Configuration: not used
        }
      }
    }
    if (fmspc == null || pceId == null || components == null || pceSvn < 0 || cpuSvn == null) {
      throw new IllegalArgumentException("SGX extension lacks FMSPC, PCE-ID or TCB");
    }
    for (int component : components) {
      if (component < 0) {
        throw new IllegalArgumentException("SGX extension TCB lacks a component SVN");
      }
    }
    return new PckExtensions(ppid, components, pceSvn, cpuSvn, pceId, fmspc, sgxType);
  }

  private static byte[] octets(ASN1Encodable value, int length) {
    byte[] bytes = ASN1OctetString.getInstance(value).getOctets();
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          "SGX extension field of " + bytes.length + " bytes, expected " + length);
    }
    return bytes;
  }

  private static int svn(ASN1Encodable value) {
    int svn = ASN1Integer.getInstance(value).intValueExact();
    if (svn < 0 || svn > 0xffff) {
      throw new IllegalArgumentException("SVN out of range: " + svn);
    }
    return svn;
  }
}
