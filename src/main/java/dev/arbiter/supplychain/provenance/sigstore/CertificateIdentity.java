// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * The identity a Fulcio certificate binds: its subject alternative name (a URI for workflows, an
 * rfc822Name for e-mail identities) and the OIDC issuer extension (1.3.6.1.4.1.57264.1.8, DER
 * UTF8String; legacy 1.3.6.1.4.1.57264.1.1, raw bytes).
 *
 * @param identity the first URI or e-mail SAN (null when none)
 * @param issuer the OIDC issuer (null when none)
 */
public record CertificateIdentity(String identity, String issuer) {
  static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";

  public static CertificateIdentity of(X509Certificate leaf) {
    return new CertificateIdentity(san(leaf), issuer(leaf));
  }

  private static String san(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return null;
      }
      for (List<?> name : names) {
        int type = (Integer) name.get(0);
        if ((type == 6 || type == 1) && name.get(1) instanceof String value) {
          return value;
        }
      }
      return null;
    } catch (CertificateParsingException | RuntimeException e) {
      return null;
    }
  }

  private static String issuer(X509Certificate leaf) {
    try {
      byte[] v2 = leaf.getExtensionValue(ISSUER_V2);
      if (v2 != null) {
        ASN1Primitive value =
            ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        return value instanceof ASN1String string ? string.getString() : null;
      }
      byte[] v1 = leaf.getExtensionValue(ISSUER_V1);
      return v1 == null
          ? null
          : new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }
}
