// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Collects the parts of Azure CVM evidence from the forms they arrive in (documented in README.md,
 * "Forms"); the form is recognised by content:
 *
 * <ul>
 *   <li>{@code --evidence}: Trustee's JSON, {@link Form#TRUSTEE_V1} / {@link Form#TRUSTEE_V2}
 *       ({@code {"version": 1|2, "hcl_report", "tpm_quote", "vcek"|"td_quote"}}), {@link
 *       Form#TRUSTEE_V0} (the same members without {@code version}, byte fields as JSON integer
 *       arrays: the TDX agent's first form), {@link Form#BYTE_ARRAY} (the SNP agent's first form:
 *       {@code {"quote": {"signature", "message", "pcrs"}, "report", "vcek"}} with integer arrays
 *       and a PEM {@code vcek}); or the bare HCL report ({@link Form#HCL_REPORT});
 *   <li>{@code --signature}: the vTPM quote (JSON {@code {signature, message, pcrs}} or az-cvm-vtpm
 *       bincode) when the evidence is a bare HCL report;
 *   <li>{@code --collateral}: for TDX, a file holding a TD quote (v4/v5 header) is the TD quote;
 *       every other file is passed on to the hardware scheme (CRLs, TCB Info, QE Identity);
 *   <li>{@code --cert}: passed on to the hardware scheme (VCEK/ASK/ARK, PCK chain).
 * </ul>
 */
record AzureEvidence(
    byte[] hclReport,
    Optional<VtpmQuote> quote,
    List<byte[]> certificates,
    Optional<byte[]> tdQuote,
    List<EvidenceInput.Collateral> collateral,
    Form form) {
  static final int MAX_EVIDENCE = 1 << 20;
  private static final Set<String> MEMBERS =
      Set.of("version", "hcl_report", "tpm_quote", "vcek", "td_quote");
  private static final Set<String> BYTE_ARRAY_MEMBERS = Set.of("quote", "report", "vcek");
  private static final int MAX_TD_QUOTE = 64 * 1024;
  private static final int MAX_CERTIFICATE = 16 * 1024;

  /** The evidence forms and the claim value naming each ({@code evidence_form}). */
  enum Form {
    HCL_REPORT("hcl-report"),
    BYTE_ARRAY("byte-array"),
    TRUSTEE_V0("trustee-v0"),
    TRUSTEE_V1("trustee-v1"),
    TRUSTEE_V2("trustee-v2");

    final String claim;

    Form(String claim) {
      this.claim = claim;
    }
  }

  AzureEvidence {
    certificates = List.copyOf(certificates);
    collateral = List.copyOf(collateral);
  }

  /**
   * @throws ProblemException EVIDENCE_MALFORMED or UNSUPPORTED_VERSION
   */
  static AzureEvidence decode(EvidenceInput input) {
    byte[] evidence = input.evidence();
    if (evidence.length > MAX_EVIDENCE) {
      throw JsonBytes.malformed(
          "evidence is " + evidence.length + " bytes, more than " + MAX_EVIDENCE);
    }
    List<byte[]> certificates = new ArrayList<>();
    Optional<VtpmQuote> quote = Optional.empty();
    Optional<byte[]> tdQuote = Optional.empty();
    byte[] hcl;
    Form form;
    if (startsWithBrace(evidence)) {
      JsonNode root;
      try {
        root = Json.readTree(evidence);
      } catch (IOException | RuntimeException e) {
        throw JsonBytes.malformed("evidence JSON is not well-formed");
      }
      if (root == null || !root.isObject()) {
        throw JsonBytes.malformed("evidence JSON must be an object");
      }
      if (root.has("quote") || root.has("report")) {
        return byteArrayForm(root, input);
      }
      root.fieldNames()
          .forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
              throw JsonBytes.malformed("evidence JSON has an unknown member \"" + name + "\"");
            }
          });
      JsonNode version = root.get("version");
      form = version == null ? Form.TRUSTEE_V0 : versioned(version);
      hcl = JsonBytes.required(root, "hcl_report", HclReport.MAX_SIZE);
      if (root.hasNonNull("tpm_quote")) {
        quote = Optional.of(VtpmQuote.fromJson(root.get("tpm_quote")));
      }
      if (root.hasNonNull("vcek")) {
        certificates.add(JsonBytes.required(root, "vcek", MAX_CERTIFICATE));
      }
      if (root.hasNonNull("td_quote")) {
        tdQuote = Optional.of(JsonBytes.required(root, "td_quote", MAX_TD_QUOTE));
      }
    } else {
      hcl = evidence;
      form = Form.HCL_REPORT;
    }
    if (input.signature().isPresent()) {
      if (quote.isPresent()) {
        throw JsonBytes.malformed(
            "the vTPM quote is given twice (in the evidence JSON and as --signature)");
      }
      quote = Optional.of(VtpmQuote.parse(input.signature().get()));
    }
    return withInputs(hcl, quote, certificates, tdQuote, input, form);
  }

  private static Form versioned(JsonNode version) {
    if (version.isIntegralNumber() && version.canConvertToInt()) {
      switch (version.asInt()) {
        case 1 -> {
          return Form.TRUSTEE_V1;
        }
        case 2 -> {
          return Form.TRUSTEE_V2;
        }
        default -> {}
      }
    }
    throw new ProblemException(
        dev.arbiter.evidence.EvidenceProblem.UNSUPPORTED_VERSION,
        "Azure evidence JSON version " + version + " (supported: 1, 2, or none for v0)");
  }

  /**
   * The SNP agent's first form (Trustee's {@code EvidenceV0} for SNP): {@code quote} is
   * az-cvm-vtpm's {@code Quote} as serde writes it (integer arrays), {@code report} the HCL report
   * (integer array), {@code vcek} the VCEK as PEM text. Exactly these members, in these encodings.
   */
  private static AzureEvidence byteArrayForm(JsonNode root, EvidenceInput input) {
    root.fieldNames()
        .forEachRemaining(name -> {
          if (!BYTE_ARRAY_MEMBERS.contains(name)) {
            throw JsonBytes.malformed(
                "byte-array evidence JSON has an unknown member \"" + name + "\"");
          }
        });
    for (String member : BYTE_ARRAY_MEMBERS) {
      if (!root.hasNonNull(member)) {
        throw JsonBytes.malformed("byte-array evidence JSON has no \"" + member + "\"");
      }
    }
    if (!root.get("report").isArray()) {
      throw JsonBytes.malformed("byte-array evidence: report must be an array of bytes");
    }
    byte[] hcl = JsonBytes.required(root, "report", HclReport.MAX_SIZE);
    VtpmQuote quote = VtpmQuote.fromByteArrays(root.get("quote"));
    JsonNode vcek = root.get("vcek");
    if (!vcek.isTextual()
        || !vcek.asText().strip().startsWith("-----BEGIN CERTIFICATE-----")
        || vcek.asText().length() > 2 * MAX_CERTIFICATE) {
      throw JsonBytes.malformed("byte-array evidence: vcek must be a PEM certificate");
    }
    if (input.signature().isPresent()) {
      throw JsonBytes.malformed(
          "the vTPM quote is given twice (in the evidence JSON and as --signature)");
    }
    List<byte[]> certificates = new ArrayList<>();
    certificates.add(vcek.asText().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return withInputs(
        hcl, Optional.of(quote), certificates, Optional.empty(), input, Form.BYTE_ARRAY);
  }

  private static AzureEvidence withInputs(
      byte[] hcl,
      Optional<VtpmQuote> quote,
      List<byte[]> certificates,
      Optional<byte[]> tdQuote,
      EvidenceInput input,
      Form form) {
    List<byte[]> all = new ArrayList<>(certificates);
    all.addAll(input.certificates());
    Optional<byte[]> td = tdQuote;
    List<EvidenceInput.Collateral> rest = new ArrayList<>();
    for (EvidenceInput.Collateral file : input.collateral()) {
      if (looksLikeTdQuote(file.bytes())) {
        if (td.isPresent()) {
          throw JsonBytes.malformed("more than one TD quote given (" + file.name() + ")");
        }
        td = Optional.of(file.bytes());
      } else {
        rest.add(file);
      }
    }
    return new AzureEvidence(hcl, quote, all, td, rest, form);
  }

  /**
   * A TDX DCAP quote header: version 4 or 5, attestation key type 2 (ECDSA P-256), TEE type 0x81.
   */
  static boolean looksLikeTdQuote(byte[] bytes) {
    return bytes.length >= 48
        && (bytes[0] == 4 || bytes[0] == 5)
        && bytes[1] == 0
        && bytes[2] == 2
        && bytes[3] == 0
        && (bytes[4] & 0xff) == 0x81
        && bytes[5] == 0
        && bytes[6] == 0
        && bytes[7] == 0;
  }

  private static boolean startsWithBrace(byte[] bytes) {
    for (byte b : bytes) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }
}
