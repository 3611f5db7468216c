// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An Azure HCL (paravisor) attestation report, as read from vTPM NV index 0x01400001, decoded
 * strictly. Layout (little-endian {@code u32}s; OpenHCL {@code igvm_attest}, az-cvm-vtpm {@code
 * hcl}):
 *
 * <pre>
 *   0  header: "HCLA", version (1|2), report_size, request_type, status, 12 reserved bytes
 *  32  hardware report slot, 1184 bytes: SNP ATTESTATION_REPORT (1184) or TDX TDREPORT (1024 + padding)
 * 1216 IGVM request data: data_size, version (1), report_type (2 SNP | 4 TDX), hash_type
 *      (1 SHA-256 | 2 SHA-384 | 3 SHA-512), variable_data_size
 * 1236 runtime data: variable_data_size bytes of JSON
 * </pre>
 *
 * {@code report_size} must cover exactly header + slot + request data, {@code data_size} exactly
 * the request data, and every byte after {@code report_size} (NV index padding) must be zero.
 * Reference verifiers (az-cvm-vtpm, Trustee) read the report by its sizes and ignore what follows;
 * Arbiter accepts only zero bytes there and counts them ({@code paddingBytes}, the claim {@code
 * hcl.padding_bytes}); they are not covered by any signature or hash and nothing is read from them.
 */
record HclReport(
    int version,
    int reportSize,
    int requestType,
    int status,
    int requestDataVersion,
    ReportType reportType,
    HashType hashType,
    byte[] hardwareSlot,
    byte[] runtimeData,
    int paddingBytes) {
  static final int HEADER_SIZE = 32;
  static final int SLOT_SIZE = 1184;
  static final int REQUEST_DATA_OFFSET = HEADER_SIZE + SLOT_SIZE;
  static final int REQUEST_DATA_HEADER = 20;
  static final int RUNTIME_DATA_OFFSET = REQUEST_DATA_OFFSET + REQUEST_DATA_HEADER;

  /** The NV index is a few KiB; anything larger is not an HCL report. */
  static final int MAX_SIZE = 64 * 1024;

  private static final int SIGNATURE = 0x414c4348; // "HCLA" read little-endian

  /** The hardware report inside the slot (IGVM report type). */
  enum ReportType {
    SNP(2, 1184, "snp"),
    TDX(4, 1024, "tdx");

    final int code;
    final int size;
    final String claim;

    ReportType(int code, int size, String claim) {
      this.code = code;
      this.size = size;
      this.claim = claim;
    }
  }

  /** The hash of the runtime data placed in the hardware report's report data (IGVM hash type). */
  enum HashType {
    SHA256(1, "SHA-256", "sha256"),
    SHA384(2, "SHA-384", "sha384"),
    SHA512(3, "SHA-512", "sha512");

    final int code;
    final String jcaName;
    final String claim;

    HashType(int code, String jcaName, String claim) {
      this.code = code;
      this.jcaName = jcaName;
      this.claim = claim;
    }
  }

  /** The hardware report itself (SNP: the whole slot; TDX: the 1024-byte TDREPORT). */
  byte[] hardwareReport() {
    return Arrays.copyOf(hardwareSlot, reportType.size);
  }

  /**
   * @throws ProblemException EVIDENCE_MALFORMED or UNSUPPORTED_VERSION
   */
  static HclReport parse(byte[] bytes) {
    if (bytes.length > MAX_SIZE) {
      throw malformed("HCL report is " + bytes.length + " bytes, more than " + MAX_SIZE);
    }
    if (bytes.length < RUNTIME_DATA_OFFSET) {
      throw malformed(
          "HCL report is "
              + bytes.length
              + " bytes, shorter than its fixed part ("
              + RUNTIME_DATA_OFFSET
              + ")");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt(0) != SIGNATURE) {
      throw malformed("HCL report header does not start with \"HCLA\"");
    }
    int version = in.getInt(4);
    if (version != 1 && version != 2) {
      throw unsupported(
          "HCL report header version " + Integer.toUnsignedString(version) + " (supported: 1, 2)");
    }
    long reportSize = Integer.toUnsignedLong(in.getInt(8));
    int requestType = in.getInt(12);
    int status = in.getInt(16);
    long dataSize = Integer.toUnsignedLong(in.getInt(REQUEST_DATA_OFFSET));
    int requestDataVersion = in.getInt(REQUEST_DATA_OFFSET + 4);
    int reportTypeCode = in.getInt(REQUEST_DATA_OFFSET + 8);
    int hashTypeCode = in.getInt(REQUEST_DATA_OFFSET + 12);
    long variableSize = Integer.toUnsignedLong(in.getInt(REQUEST_DATA_OFFSET + 16));
    if (requestDataVersion != 1) {
      throw unsupported(
          "IGVM request data version "
              + Integer.toUnsignedString(requestDataVersion)
              + " (supported: 1)");
    }
    ReportType reportType =
        Arrays.stream(ReportType.values())
            .filter(t -> t.code == reportTypeCode)
            .findFirst()
            .orElseThrow(() ->
                unsupported(
                    "IGVM report type "
                        + Integer.toUnsignedString(reportTypeCode)
                        + " (supported: 2 = SEV-SNP, 4 = TDX)"));
    HashType hashType =
        Arrays.stream(HashType.values())
            .filter(t -> t.code == hashTypeCode)
            .findFirst()
            .orElseThrow(() ->
                unsupported(
                    "IGVM runtime-data hash type "
                        + Integer.toUnsignedString(hashTypeCode)
                        + " (supported: 1 = SHA-256, 2 = SHA-384, 3 = SHA-512)"));
    if (dataSize != REQUEST_DATA_HEADER + variableSize) {
      throw malformed(
          "IGVM request data_size "
              + dataSize
              + " is not "
              + REQUEST_DATA_HEADER
              + " + variable_data_size "
              + variableSize);
    }
    if (reportSize != REQUEST_DATA_OFFSET + dataSize) {
      throw malformed(
          "HCL report_size "
              + reportSize
              + " is not "
              + REQUEST_DATA_OFFSET
              + " + data_size "
              + dataSize);
    }
    if (reportSize > bytes.length) {
      throw malformed(
          "HCL report_size " + reportSize + " exceeds the " + bytes.length + " bytes given");
    }
    for (int i = (int) reportSize; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        throw malformed(
            "non-zero byte at offset " + i + " after the HCL report's report_size " + reportSize);
      }
    }
    if (variableSize == 0) {
      throw malformed("the HCL report carries no runtime data");
    }
    byte[] slot = Arrays.copyOfRange(bytes, HEADER_SIZE, REQUEST_DATA_OFFSET);
    byte[] runtime = Arrays.copyOfRange(bytes, RUNTIME_DATA_OFFSET, (int) reportSize);
    return new HclReport(
        version,
        (int) reportSize,
        requestType,
        status,
        requestDataVersion,
        reportType,
        hashType,
        slot,
        runtime,
        bytes.length - (int) reportSize);
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(EvidenceProblem.EVIDENCE_MALFORMED, detail);
  }

  private static ProblemException unsupported(String detail) {
    return new ProblemException(EvidenceProblem.UNSUPPORTED_VERSION, detail);
  }
}
