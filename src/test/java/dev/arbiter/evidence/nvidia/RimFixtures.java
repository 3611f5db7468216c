// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.internal.Hex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;

/**
 * A test RIM PKI and SWID RIMs signed with enveloped XML-DSig (ECDSA P-384, C14N 1.1). Test code
 * only.
 */
final class RimFixtures {
  final KeyPair rootKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate root =
      CertBuilder.subject("CN=Test RIM Root", rootKey.getPublic())
          .selfSigned(rootKey.getPrivate())
          .ca(1)
          .build();
  final KeyPair signerKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate signer =
      CertBuilder.subject("CN=Test RIM Signer", signerKey.getPublic())
          .issuer(root, rootKey.getPrivate())
          .build();

  /** A RIM for {@code version} whose RIM index {@code i} expects {@code values.get(i + 1)}. */
  static String unsignedRim(String version, Map<Integer, byte[]> values) {
    return unsignedRim(version, "GH100", values);
  }

  /** The same for another chip ({@code Meta product}). */
  static String unsignedRim(String version, String product, Map<Integer, byte[]> values) {
    StringBuilder xml =
        new StringBuilder(
            "<SoftwareIdentity xmlns=\""
                + ReferenceManifest.SWID_NS
                + "\" xmlns:h=\""
                + ReferenceManifest.HASH_NS
                + "\" name=\"GH100\" tagId=\"test-rim\" version=\"1.0\">"
                + "<Meta colloquialVersion=\""
                + version
                + "\" product=\""
                + product
                + "\"/><Payload>");
    for (var entry : values.entrySet()) {
      xml.append("<Resource type=\"Measurement\" index=\"")
          .append(entry.getKey() - 1)
          .append("\" active=\"True\" alternatives=\"1\" h:Hash0=\"")
          .append(Hex.encode(entry.getValue()))
          .append("\" size=\"48\"/>");
    }
    return xml.append("</Payload></SoftwareIdentity>").toString();
  }

  byte[] sign(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    XMLSignatureFactory signatures = XMLSignatureFactory.getInstance("DOM");
    var reference =
        signatures.newReference(
            "",
            signatures.newDigestMethod(DigestMethod.SHA384, null),
            List.of(
                signatures.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                signatures.newTransform(
                    CanonicalizationMethod.INCLUSIVE_11, (TransformParameterSpec) null)),
            null,
            null);
    var signedInfo =
        signatures.newSignedInfo(
            signatures.newCanonicalizationMethod(
                CanonicalizationMethod.INCLUSIVE_11, (C14NMethodParameterSpec) null),
            signatures.newSignatureMethod(SignatureMethod.ECDSA_SHA384, null),
            Collections.singletonList(reference));
    KeyInfoFactory keys = signatures.getKeyInfoFactory();
    var keyInfo = keys.newKeyInfo(List.of(keys.newX509Data(List.of(signer))));
    signatures
        .newXMLSignature(signedInfo, keyInfo)
        .sign(new DOMSignContext(signerKey.getPrivate(), document.getDocumentElement()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TransformerFactory.newInstance()
        .newTransformer()
        .transform(new DOMSource(document), new StreamResult(out));
    return out.toByteArray();
  }
}
