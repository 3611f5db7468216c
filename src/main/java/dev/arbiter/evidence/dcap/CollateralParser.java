// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recognizes DCAP collateral by content: PCS TCB Info / QE Identity bodies ({@code {"tcbInfo":...,
 * "signature":...}}, optionally with an issuer chain field), dcap-qvl {@code QuoteCollateralV3}
 * JSON, PEM certificates and CRLs, DER CRLs and certificates. Unrecognized files are ignored (a
 * directory may hold other things); recognized but broken ones yield COLLATERAL_MALFORMED. Pure;
 * never throws for bad input.
 */
final class CollateralParser {
  static final int MAX_COLLATERAL_BYTES = 4 << 20;
  private static final List<String> CHAIN_FIELDS =
      List.of(
          "issuerChain",
          "issuer_chain",
          "tcbInfoIssuerChain",
          "qeIdentityIssuerChain",
          "enclaveIdentityIssuerChain");

  private CollateralParser() {}

  static ParsedCollateral parse(String name, byte[] bytes) {
    try {
      if (bytes.length > MAX_COLLATERAL_BYTES) {
        throw new CollateralFormatException("larger than " + MAX_COLLATERAL_BYTES + " bytes");
      }
      int first = firstNonSpace(bytes);
      if (first >= 0 && bytes[first] == '{') {
        return json(name, bytes);
      }
      if (Certificates.isPem(bytes)) {
        return pem(name, new String(bytes, StandardCharsets.US_ASCII));
      }
      if (bytes.length > 0 && bytes[0] == 0x30) {
        return der(bytes);
      }
      return ParsedCollateral.empty();
    } catch (CollateralFormatException | RuntimeException e) {
      String detail = e instanceof CollateralFormatException ? e.getMessage() : "cannot be decoded";
      return new ParsedCollateral(
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(
              Problem.of(
                  EvidenceProblem.COLLATERAL_MALFORMED, "collateral " + name + ": " + detail)));
    }
  }

  private static ParsedCollateral json(String name, byte[] bytes) throws CollateralFormatException {
    JsonNode tree;
    try {
      tree = Json.readTree(bytes);
    } catch (IOException e) {
      throw new CollateralFormatException("not well-formed JSON");
    }
    if (tree.has("tcbInfo") || tree.has("enclaveIdentity")) {
      return pcsBody(name, bytes);
    }
    if (tree.has("tcb_info")
        || tree.has("qe_identity")
        || tree.has("pck_crl")
        || tree.has("root_ca_crl")) {
      return dcapQvl(name, tree);
    }
    return ParsedCollateral.empty();
  }

  /** A PCS response body: the signed value's exact bytes are cut out of the file. */
  private static ParsedCollateral pcsBody(String name, byte[] bytes)
      throws CollateralFormatException {
    byte[] signed = null;
    String field = null;
    String signature = null;
    List<X509Certificate> chain = new ArrayList<>();
    try (JsonParser parser = Json.mapper().getFactory().createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new CollateralFormatException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        if ((key.equals("tcbInfo") || key.equals("enclaveIdentity"))
            && value == JsonToken.START_OBJECT) {
          long start = parser.currentTokenLocation().getByteOffset();
          parser.skipChildren();
          long end = parser.currentTokenLocation().getByteOffset() + 1;
          signed = Arrays.copyOfRange(bytes, (int) start, (int) end);
          field = key;
        } else if (key.equals("signature") && value == JsonToken.VALUE_STRING) {
          signature = parser.getText();
        } else if (CHAIN_FIELDS.contains(key) && value == JsonToken.VALUE_STRING) {
          chain.addAll(certificates(parser.getText()));
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new CollateralFormatException("not well-formed JSON");
    }
    if (signed == null || signature == null) {
      throw new CollateralFormatException(
          "needs an object 'tcbInfo' or 'enclaveIdentity' and a string 'signature'");
    }
    return signedBody(name, field.equals("tcbInfo"), signed, signature, chain, List.of());
  }

  /**
   * dcap-qvl QuoteCollateralV3: signed bodies as strings, hex signatures, PEM chains, hex DER CRLs.
   */
  private static ParsedCollateral dcapQvl(String name, JsonNode tree)
      throws CollateralFormatException {
    List<ParsedCollateral> parts = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    for (String crlField : List.of("pck_crl", "root_ca_crl")) {
      if (tree.has(crlField)) {
        crls.addAll(crls(decodeBlob(JsonFields.text(tree, crlField))));
      }
    }
    List<X509Certificate> extra = new ArrayList<>();
    for (String chainField : List.of("pck_crl_issuer_chain", "pck_certificate_chain")) {
      if (tree.has(chainField)) {
        extra.addAll(certificates(JsonFields.text(tree, chainField)));
      }
    }
    parts.add(new ParsedCollateral(List.of(), List.of(), extra, crls, List.of()));
    if (tree.has("tcb_info")) {
      parts.add(
          signedBody(
              name,
              true,
              JsonFields.text(tree, "tcb_info").getBytes(StandardCharsets.UTF_8),
              JsonFields.text(tree, "tcb_info_signature"),
              chainOf(tree, "tcb_info_issuer_chain"),
              List.of()));
    }
    if (tree.has("qe_identity")) {
      parts.add(
          signedBody(
              name,
              false,
              JsonFields.text(tree, "qe_identity").getBytes(StandardCharsets.UTF_8),
              JsonFields.text(tree, "qe_identity_signature"),
              chainOf(tree, "qe_identity_issuer_chain"),
              List.of()));
    }
    return ParsedCollateral.merge(parts);
  }

  private static List<X509Certificate> chainOf(JsonNode tree, String field)
      throws CollateralFormatException {
    return tree.has(field) ? certificates(JsonFields.text(tree, field)) : List.of();
  }

  private static ParsedCollateral signedBody(
      String name,
      boolean tcbInfo,
      byte[] signed,
      String signatureHex,
      List<X509Certificate> chain,
      List<X509CRL> crls)
      throws CollateralFormatException {
    if (!Hex.isHex(signatureHex) || signatureHex.length() != 128) {
      throw new CollateralFormatException("signature must be 64 bytes of hex (r || s)");
    }
    JsonNode body;
    try {
      body = Json.readTree(signed);
    } catch (IOException e) {
      throw new CollateralFormatException("signed body is not well-formed JSON");
    }
    if (!body.isObject()) {
      throw new CollateralFormatException("signed body is not a JSON object");
    }
    Object decoded = tcbInfo ? TcbInfo.parse(body) : QeIdentity.parse(body);
    SignedJson item = new SignedJson(signed, Hex.decode(signatureHex), decoded, chain, name);
    return new ParsedCollateral(
        tcbInfo ? List.of(item) : List.of(),
        tcbInfo ? List.of() : List.of(item),
        chain,
        crls,
        List.of());
  }

  private static ParsedCollateral pem(String name, String text) throws CollateralFormatException {
    List<X509Certificate> certificates = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    try {
      for (Certificates.PemBlock block : Certificates.pemBlocks(text)) {
        if (block.label().equals("CERTIFICATE")) {
          certificates.add(Certificates.parseDer(block.der()));
        } else if (block.label().equals("X509 CRL")) {
          crls.addAll(Certificates.parseCrls(block.der()));
        }
      }
    } catch (CertificateException | CRLException | IllegalArgumentException e) {
      throw new CollateralFormatException("PEM block cannot be parsed");
    }
    return new ParsedCollateral(List.of(), List.of(), certificates, crls, List.of());
  }

  private static ParsedCollateral der(byte[] bytes) throws CollateralFormatException {
    try {
      return new ParsedCollateral(
          List.of(), List.of(), List.of(), Certificates.parseCrls(bytes), List.of());
    } catch (CRLException notACrl) {
      try {
        return new ParsedCollateral(
            List.of(), List.of(), List.of(Certificates.parseDer(bytes)), List.of(), List.of());
      } catch (CertificateException notACertificate) {
        throw new CollateralFormatException("DER data is neither a CRL nor a certificate");
      }
    }
  }

  private static List<X509Certificate> certificates(String pem) throws CollateralFormatException {
    try {
      return Certificates.parse(pem.getBytes(StandardCharsets.US_ASCII));
    } catch (CertificateException | IllegalArgumentException e) {
      throw new CollateralFormatException("issuer chain is not PEM certificates");
    }
  }

  private static List<X509CRL> crls(byte[] bytes) throws CollateralFormatException {
    try {
      return Certificates.parseCrls(bytes);
    } catch (CRLException e) {
      throw new CollateralFormatException("CRL cannot be parsed");
    }
  }

  /**
   * A CRL given as hex DER, PEM text or base64 DER (line-wrapped base64 is accepted: PCCS and
   * operators paste CRLs as wrapped text).
   */
  private static byte[] decodeBlob(String text) throws CollateralFormatException {
    String trimmed = text.strip();
    if (Hex.isHex(trimmed)) {
      return Encodings.hex(trimmed);
    }
    if (trimmed.startsWith("-----BEGIN")) {
      return trimmed.getBytes(StandardCharsets.US_ASCII);
    }
    try {
      return Encodings.base64(Encodings.withoutWhitespace(trimmed));
    } catch (IllegalArgumentException e) {
      throw new CollateralFormatException("CRL is neither hex, PEM nor base64");
    }
  }

  private static int firstNonSpace(byte[] bytes) {
    for (int i = 0; i < bytes.length && i < 1024; i++) {
      if (!Character.isWhitespace(bytes[i])) {
        return i;
      }
    }
    return -1;
  }
}
