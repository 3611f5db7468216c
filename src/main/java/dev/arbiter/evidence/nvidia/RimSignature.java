// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Encodings;
import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Validates a RIM's enveloped XML signature (XML-DSig, JDK secure validation on): exactly one
 * {@code ds:Signature}, a child of the root, with exactly one reference whose URI is {@code ""}
 * (the whole document, so no element can be wrapped around or beside signed content), signed by the
 * first certificate of its {@code X509Data}, which must chain to the pinned NVIDIA RIM root at the
 * verification time.
 */
final class RimSignature {
  private RimSignature() {}

  /** Empty when the signature is valid; otherwise the problem. */
  static Optional<Problem> check(
      ReferenceManifest rim, X509Certificate rimRoot, ChainVerifier chains, Instant at) {
    Element root = rim.document().getDocumentElement();
    NodeList signatures =
        root.getOwnerDocument().getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
    if (signatures.getLength() != 1 || signatures.item(0).getParentNode() != root) {
      return invalid("RIM must carry exactly one enveloped signature under its root");
    }
    Element signature = (Element) signatures.item(0);
    List<X509Certificate> chain = new ArrayList<>();
    NodeList certificates = signature.getElementsByTagNameNS(XMLSignature.XMLNS, "X509Certificate");
    try {
      for (int i = 0; i < certificates.getLength(); i++) {
        // XML-DSig wraps ds:X509Certificate base64 in lines: white space is stripped, the rest is
        // strict.
        byte[] der =
            Encodings.base64(Encodings.withoutWhitespace(certificates.item(i).getTextContent()));
        chain.add(Certificates.parseDer(der));
      }
    } catch (Exception e) {
      return invalid("RIM signing certificate cannot be parsed");
    }
    if (chain.isEmpty()) {
      return invalid("RIM signature carries no X509Certificate");
    }
    switch (chains.verify(chain, List.of(rimRoot), at)) {
      case ChainVerifier.Result.Invalid bad -> {
        return Optional.of(
            Problem.of(
                bad.failure() == ChainVerifier.Failure.EXPIRED
                    ? EvidenceProblem.COLLATERAL_EXPIRED
                    : EvidenceProblem.COLLATERAL_INVALID,
                "RIM signing chain: " + bad.detail()));
      }
      case ChainVerifier.Result.Valid valid -> {}
    }
    try {
      DOMValidateContext context = new DOMValidateContext(chain.get(0).getPublicKey(), signature);
      context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
      XMLSignature xml = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(context);
      List<?> references = xml.getSignedInfo().getReferences();
      if (references.size() != 1 || !"".equals(((Reference) references.get(0)).getURI())) {
        return invalid(
            "RIM signature must have exactly one reference to the whole document (URI \"\")");
      }
      if (!xml.validate(context)) {
        return invalid("RIM XML signature does not verify");
      }
    } catch (Exception e) {
      return invalid("RIM XML signature cannot be validated: " + e.getClass().getSimpleName());
    }
    return Optional.empty();
  }

  private static Optional<Problem> invalid(String detail) {
    return Optional.of(Problem.of(EvidenceProblem.COLLATERAL_INVALID, detail));
  }
}
