// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recognises the forms SEV-SNP evidence arrives in and returns the bare report plus any VCEK/VLEK
 * that came with it:
 *
 * <ul>
 *   <li>the raw 1184-byte report;
 *   <li>the report followed by a GHCB certificate table (SNP_GET_EXT_REPORT, configfs-tsm {@code
 *       outblob} + {@code auxblob} concatenated);
 *   <li>configfs-tsm JSON {@code {"outblob": b64, "auxblob": b64, "provider": ...}} (veraison);
 *   <li>an Azure HCL report ({@code HCLA} header; the SNP report at offset 32) or trustee's
 *       az-snp-vtpm JSON {@code {"hcl_report": b64url, "vcek": b64url DER}} (the vTPM quote in it
 *       is not verified here).
 * </ul>
 */
final class EvidenceForms {
  static final int MAX_BYTES = 1 << 20;
  private static final int HCL_HEADER = 32;

  /** The bare report and the key certificates (PEM or DER bytes) carried with it. */
  record Decoded(byte[] report, List<byte[]> certificates, String form) {}

  private EvidenceForms() {}

  /**
   * @throws ProblemException EVIDENCE_MALFORMED when no form fits
   */
  static Decoded decode(byte[] evidence) {
    if (evidence.length > MAX_BYTES) {
      throw malformed("evidence is " + evidence.length + " bytes, more than " + MAX_BYTES);
    }
    if (evidence.length == AttestationReport.SIZE) {
      return new Decoded(evidence, List.of(), "report");
    }
    if (startsWithJson(evidence)) {
      return json(evidence);
    }
    if (evidence.length >= HCL_HEADER + AttestationReport.SIZE
        && evidence[0] == 'H'
        && evidence[1] == 'C'
        && evidence[2] == 'L'
        && evidence[3] == 'A') {
      return new Decoded(
          Arrays.copyOfRange(evidence, HCL_HEADER, HCL_HEADER + AttestationReport.SIZE),
          List.of(),
          "azure-hcl");
    }
    if (evidence.length > AttestationReport.SIZE) {
      byte[] table = Arrays.copyOfRange(evidence, AttestationReport.SIZE, evidence.length);
      if (CertificateTable.looksLikeTable(table)) {
        return new Decoded(
            Arrays.copyOf(evidence, AttestationReport.SIZE),
            CertificateTable.keyCertificates(table),
            "extended-report");
      }
    }
    throw malformed(
        "not an SEV-SNP report ("
            + AttestationReport.SIZE
            + " bytes), extended report, configfs-tsm JSON or Azure HCL report: "
            + evidence.length
            + " bytes");
  }

  private static Decoded json(byte[] evidence) {
    JsonNode root;
    try {
      root = Json.readTree(evidence);
    } catch (IOException e) {
      throw malformed("evidence JSON is not well-formed");
    }
    if (root == null || !root.isObject()) {
      throw malformed("evidence JSON must be an object");
    }
    if (root.hasNonNull("outblob")) {
      byte[] report = binary(root, "outblob");
      List<byte[]> certificates =
          root.hasNonNull("auxblob")
              ? CertificateTable.keyCertificates(binary(root, "auxblob"))
              : List.of();
      return new Decoded(report, certificates, "configfs-tsm");
    }
    if (root.hasNonNull("hcl_report")) {
      byte[] hcl = binary(root, "hcl_report");
      if (hcl.length < HCL_HEADER + AttestationReport.SIZE) {
        throw malformed("hcl_report is too short for an SNP report");
      }
      List<byte[]> certificates = new ArrayList<>();
      if (root.hasNonNull("vcek")) {
        certificates.add(binary(root, "vcek"));
      }
      return new Decoded(
          Arrays.copyOfRange(hcl, HCL_HEADER, HCL_HEADER + AttestationReport.SIZE),
          certificates,
          "azure-snp-vtpm");
    }
    throw malformed("evidence JSON has neither outblob (configfs-tsm) nor hcl_report (Azure)");
  }

  /**
   * A JSON string field holding base64, base64url or hex, decoded by {@link Encodings} (no white
   * space: neither configfs-tsm tooling nor trustee wraps these strings).
   */
  private static byte[] binary(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (!node.isTextual()) {
      throw malformed("evidence JSON field " + field + " must be a string");
    }
    String text = node.asText();
    try {
      return Hex.isHex(text) ? Encodings.hex(text) : Encodings.base64(text);
    } catch (IllegalArgumentException e) {
      throw malformed("evidence JSON field " + field + " is neither base64 nor hex");
    }
  }

  private static boolean startsWithJson(byte[] bytes) {
    for (byte b : bytes) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(EvidenceProblem.EVIDENCE_MALFORMED, detail);
  }
}
