// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.KeySignatures;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * Verifies the precertificate SCTs embedded in a Fulcio leaf (RFC 6962 section 3.2): at least one
 * must verify under a CT log of the trusted root that is valid at the SCT's timestamp. Thread-safe.
 */
final class Sct {
  static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

  private Sct() {}

  /**
   * @throws ProblemException {@code PROVENANCE_SCT_INVALID}
   */
  static void verify(X509Certificate leaf, X509Certificate issuer, TrustedRoot root) {
    byte[] list = sctList(leaf);
    byte[] tbs = precertTbs(leaf);
    byte[] issuerKeyHash = Digests.sha256(issuer.getPublicKey().getEncoded());
    ByteBuffer in = ByteBuffer.wrap(list);
    String reason = "no SCT verifies under a trusted CT log";
    try {
      int total = u16(in);
      if (total != in.remaining()) {
        throw invalid("SCT list length is inconsistent");
      }
      while (in.hasRemaining()) {
        byte[] sct = new byte[u16(in)];
        in.get(sct);
        String failure = verifyOne(ByteBuffer.wrap(sct), tbs, issuerKeyHash, root);
        if (failure == null) {
          return;
        }
        reason = failure;
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw invalid("SCT list is truncated");
    }
    throw invalid(reason);
  }

  private static String verifyOne(
      ByteBuffer sct, byte[] tbs, byte[] issuerKeyHash, TrustedRoot root) {
    int version = sct.get();
    byte[] logId = new byte[32];
    sct.get(logId);
    long timestamp = sct.getLong();
    byte[] extensions = new byte[u16(sct)];
    sct.get(extensions);
    sct.get(); // hash algorithm: implied by the log key
    sct.get(); // signature algorithm: implied by the log key
    byte[] signature = new byte[u16(sct)];
    sct.get(signature);
    if (version != 0) {
      return "unsupported SCT version " + version;
    }
    var log = root.ctlog(logId);
    if (log.isEmpty()) {
      return "SCT from an unknown CT log";
    }
    if (!log.get().validAt(Instant.ofEpochMilli(timestamp))) {
      return "the CT log key is not valid at the SCT timestamp";
    }
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0); // sct_version v1
    signed.write(0); // signature_type certificate_timestamp
    signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
    signed.write(0);
    signed.write(1); // entry_type precert_entry
    signed.writeBytes(issuerKeyHash);
    signed.write(tbs.length >>> 16);
    signed.write(tbs.length >>> 8);
    signed.write(tbs.length);
    signed.writeBytes(tbs);
    signed.write(extensions.length >>> 8);
    signed.write(extensions.length);
    signed.writeBytes(extensions);
    return KeySignatures.verify(log.get().key(), signed.toByteArray(), signature)
        ? null
        : "SCT signature does not verify under the CT log key";
  }

  private static byte[] sctList(X509Certificate leaf) {
    byte[] extension = leaf.getExtensionValue(SCT_LIST_OID);
    if (extension == null) {
      throw invalid("the signing certificate has no embedded SCT");
    }
    try {
      ASN1OctetString outer = ASN1OctetString.getInstance(extension);
      return ASN1OctetString.getInstance(outer.getOctets()).getOctets();
    } catch (RuntimeException e) {
      throw invalid("the SCT extension is malformed");
    }
  }

  /** The leaf's TBSCertificate with the SCT list extension removed (what the log signed). */
  static byte[] precertTbs(X509Certificate leaf) {
    try {
      ASN1Sequence tbs = ASN1Sequence.getInstance(leaf.getTBSCertificate());
      ASN1EncodableVector fields = new ASN1EncodableVector();
      for (ASN1Encodable field : tbs) {
        if (field instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
          Extensions extensions = Extensions.getInstance(tagged.getExplicitBaseObject());
          ASN1EncodableVector kept = new ASN1EncodableVector();
          for (var oid : extensions.getExtensionOIDs()) {
            if (!oid.getId().equals(SCT_LIST_OID)) {
              Extension extension = extensions.getExtension(oid);
              kept.add(extension);
            }
          }
          fields.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
        } else {
          fields.add(field);
        }
      }
      return new DERSequence(fields).getEncoded(ASN1Encoding.DER);
    } catch (IOException | java.security.cert.CertificateEncodingException | RuntimeException e) {
      throw invalid("the signing certificate's TBS cannot be re-encoded");
    }
  }

  private static int u16(ByteBuffer in) {
    return Short.toUnsignedInt(in.getShort());
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_SCT_INVALID, detail);
  }
}
