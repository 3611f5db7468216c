// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.internal.Hex;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * An NVIDIA reference integrity manifest (RIM): a TCG RIM-profile SWID tag (ISO/IEC 19770-2) whose
 * {@code Payload/Resource type="Measurement"} entries give, per measurement index, the accepted
 * SHA-384 values ({@code Hash0..HashN-1}, {@code alternatives} of them) and whether the index is
 * {@code active}. Parsed without DTDs or external entities.
 *
 * @param document the DOM, kept for signature validation
 * @param product the Meta {@code product} (the chip, e.g. {@code GH100}, {@code GB100}); empty when
 *     absent
 */
record ReferenceManifest(
    Document document, String tagId, String version, String product, List<Reference> references) {
  static final String SWID_NS = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
  static final String HASH_NS = "http://www.w3.org/2001/04/xmlenc#sha384";
  static final int MAX_ALTERNATIVES = 16;

  /** One measurement index with its accepted values (RIM index = SPDM block index - 1). */
  record Reference(int index, boolean active, List<byte[]> values) {}

  ReferenceManifest {
    references = List.copyOf(references);
  }

  static boolean looksLikeRim(byte[] bytes) {
    String head =
        new String(bytes, 0, Math.min(bytes.length, 512), java.nio.charset.StandardCharsets.UTF_8)
            .strip();
    return head.startsWith("<") && head.contains("SoftwareIdentity");
  }

  static ReferenceManifest parse(byte[] bytes) throws SpdmFormatException {
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    } catch (Exception e) {
      throw new SpdmFormatException("RIM is not well-formed XML");
    }
    Element root = document.getDocumentElement();
    if (!"SoftwareIdentity".equals(root.getLocalName())
        || !SWID_NS.equals(root.getNamespaceURI())) {
      throw new SpdmFormatException("RIM root element is not a SWID SoftwareIdentity");
    }
    NodeList metas = root.getElementsByTagNameNS(SWID_NS, "Meta");
    String version =
        metas.getLength() == 0 ? "" : ((Element) metas.item(0)).getAttribute("colloquialVersion");
    if (version.isEmpty()) {
      throw new SpdmFormatException("RIM has no Meta colloquialVersion");
    }
    List<Reference> references = new ArrayList<>();
    NodeList resources = root.getElementsByTagNameNS(SWID_NS, "Resource");
    for (int i = 0; i < resources.getLength(); i++) {
      Element resource = (Element) resources.item(i);
      if ("Measurement".equals(resource.getAttribute("type"))) {
        references.add(reference(resource));
      }
    }
    if (references.isEmpty()) {
      throw new SpdmFormatException("RIM lists no measurements");
    }
    String product =
        metas.getLength() == 0 ? "" : ((Element) metas.item(0)).getAttribute("product");
    return new ReferenceManifest(
        document,
        root.getAttribute("tagId"),
        version.toLowerCase(Locale.ROOT),
        product,
        references);
  }

  private static Reference reference(Element resource) throws SpdmFormatException {
    try {
      int index = Integer.parseInt(resource.getAttribute("index"));
      int alternatives = Integer.parseInt(resource.getAttribute("alternatives"));
      if (index < 0 || index > 254 || alternatives < 1 || alternatives > MAX_ALTERNATIVES) {
        throw new SpdmFormatException(
            "RIM measurement index " + index + " / alternatives " + alternatives);
      }
      List<byte[]> values = new ArrayList<>();
      for (int a = 0; a < alternatives; a++) {
        String value = resource.getAttributeNS(HASH_NS, "Hash" + a);
        if (!Hex.isHex(value)) {
          throw new SpdmFormatException("RIM measurement " + index + " lacks Hash" + a);
        }
        values.add(Hex.decode(value));
      }
      boolean active = "true".equalsIgnoreCase(resource.getAttribute("active"));
      return new Reference(index, active, values);
    } catch (NumberFormatException e) {
      throw new SpdmFormatException("RIM measurement index or alternatives is not a number");
    }
  }
}
