// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a TDX TDREPORT_STRUCT (1024 bytes; Intel TDX Module ABI, "TDREPORT_STRUCT") that a
 * TD quote body repeats: REPORTMACSTRUCT (report type 0x81, report data), TEE_TCB_INFO (TEE TCB
 * SVN, MRSEAM, MRSIGNERSEAM, SEAM attributes) and TDINFO (attributes, XFAM, MRTD, MRCONFIGID,
 * MROWNER, MROWNERCONFIG, RTMR0-3). Its MAC can only be checked on the same CPU, so these fields
 * are trusted only through the signed TD quote they must equal.
 *
 * @param reportData the 64-byte report data
 * @param quoteFields claim name (as the {@code tdx} scheme names it) to bytes, for comparison
 */
record TdReportFields(byte[] reportData, Map<String, byte[]> quoteFields) {
  static final int SIZE = 1024;
  static final int TDX_REPORT_TYPE = 0x81;
  private static final int TEE_TCB_INFO = 256;
  private static final int TD_INFO = 512;

  /**
   * @throws ProblemException EVIDENCE_MALFORMED when the report type is not TDX
   */
  static TdReportFields parse(byte[] report) {
    if (report.length != SIZE) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "a TDREPORT has " + SIZE + " bytes, not " + report.length);
    }
    if ((report[0] & 0xff) != TDX_REPORT_TYPE) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          String.format(
              "the HCL report's TDREPORT has report type 0x%02x, not 0x81 (TDX)",
              report[0] & 0xff));
    }
    Map<String, byte[]> fields = new LinkedHashMap<>();
    fields.put("tee_tcb_svn", slice(report, TEE_TCB_INFO + 8, 16));
    fields.put("mr_seam", slice(report, TEE_TCB_INFO + 24, 48));
    fields.put("mr_signer_seam", slice(report, TEE_TCB_INFO + 72, 48));
    fields.put("seam_attributes", slice(report, TEE_TCB_INFO + 120, 8));
    fields.put("td_attributes", slice(report, TD_INFO, 8));
    fields.put("xfam", slice(report, TD_INFO + 8, 8));
    fields.put("mr_td", slice(report, TD_INFO + 16, 48));
    fields.put("mr_config_id", slice(report, TD_INFO + 64, 48));
    fields.put("mr_owner", slice(report, TD_INFO + 112, 48));
    fields.put("mr_owner_config", slice(report, TD_INFO + 160, 48));
    for (int i = 0; i < 4; i++) {
      fields.put("rtmr" + i, slice(report, TD_INFO + 208 + 48 * i, 48));
    }
    return new TdReportFields(slice(report, 128, 64), fields);
  }

  private static byte[] slice(byte[] bytes, int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }
}
