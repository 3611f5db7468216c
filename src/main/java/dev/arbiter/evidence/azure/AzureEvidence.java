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
 * Collects the parts of Azure CVM evidence from the forms they arrive in (documented in README.md):
 *
 * <ul>
 *   <li>{@code --evidence}: trustee's JSON ({@code {"version": 1, "hcl_report", "tpm_quote",
 *       "vcek"}} for SNP, {@code {"version": 1, "hcl_report", "tpm_quote", "td_quote"}} for TDX; v0
 *       without {@code version} and with byte arrays too), or the bare HCL report;
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
    String form) {
  static final int MAX_EVIDENCE = 1 << 20;
  private static final Set<String> MEMBERS =
      Set.of("version", "hcl_report", "tpm_quote", "vcek", "td_quote");
  private static final int MAX_TD_QUOTE = 64 * 1024;
  private static final int MAX_CERTIFICATE = 16 * 1024;

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
    String form;
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
      root.fieldNames()
          .forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
              throw JsonBytes.malformed("evidence JSON has an unknown member \"" + name + "\"");
            }
          });
      JsonNode version = root.get("version");
      if (version != null && !(version.isIntegralNumber() && version.asLong() == 1)) {
        throw new ProblemException(
            dev.arbiter.evidence.EvidenceProblem.UNSUPPORTED_VERSION,
            "Azure evidence JSON version " + version + " (supported: 1, or none for v0)");
      }
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
      form = version == null ? "trustee-v0" : "trustee-v1";
    } else {
      hcl = evidence;
      form = "hcl-report";
    }
    if (input.signature().isPresent()) {
      if (quote.isPresent()) {
        throw JsonBytes.malformed(
            "the vTPM quote is given twice (in the evidence JSON and as --signature)");
      }
      quote = Optional.of(VtpmQuote.parse(input.signature().get()));
    }
    certificates.addAll(input.certificates());
    List<EvidenceInput.Collateral> rest = new ArrayList<>();
    for (EvidenceInput.Collateral file : input.collateral()) {
      if (looksLikeTdQuote(file.bytes())) {
        if (tdQuote.isPresent()) {
          throw JsonBytes.malformed("more than one TD quote given (" + file.name() + ")");
        }
        tdQuote = Optional.of(file.bytes());
      } else {
        rest.add(file);
      }
    }
    return new AzureEvidence(hcl, quote, certificates, tdQuote, rest, form);
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
