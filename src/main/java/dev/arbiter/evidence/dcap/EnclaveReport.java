// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

/**
 * An SGX enclave report body (384 bytes; Intel SGX DCAP Quote Library API, "Enclave Report"): the
 * body of an SGX quote and the Quoting Enclave's own report.
 */
public record EnclaveReport(
    byte[] cpuSvn,
    long miscSelect,
    byte[] isvExtProdId,
    byte[] attributes,
    byte[] mrEnclave,
    byte[] mrSigner,
    byte[] configId,
    int isvProdId,
    int isvSvn,
    int configSvn,
    byte[] isvFamilyId,
    byte[] reportData)
    implements QuoteBody {
  public static final int SIZE = 384;

  static EnclaveReport parse(ByteReader reader) throws QuoteFormatException {
    byte[] cpuSvn = reader.bytes(16, "cpusvn");
    long miscSelect = reader.u32("miscselect");
    reader.bytes(12, "reserved1");
    byte[] isvExtProdId = reader.bytes(16, "isv_ext_prod_id");
    byte[] attributes = reader.bytes(16, "attributes");
    byte[] mrEnclave = reader.bytes(32, "mrenclave");
    reader.bytes(32, "reserved2");
    byte[] mrSigner = reader.bytes(32, "mrsigner");
    reader.bytes(32, "reserved3");
    byte[] configId = reader.bytes(64, "config_id");
    int isvProdId = reader.u16("isv_prod_id");
    int isvSvn = reader.u16("isv_svn");
    int configSvn = reader.u16("config_svn");
    reader.bytes(42, "reserved4");
    byte[] isvFamilyId = reader.bytes(16, "isv_family_id");
    byte[] reportData = reader.bytes(64, "report_data");
    return new EnclaveReport(
        cpuSvn,
        miscSelect,
        isvExtProdId,
        attributes,
        mrEnclave,
        mrSigner,
        configId,
        isvProdId,
        isvSvn,
        configSvn,
        isvFamilyId,
        reportData);
  }

  /** The DEBUG attribute (bit 1 of the attribute flags). */
  public boolean debug() {
    return (attributes[0] & 0x02) != 0;
  }
}
