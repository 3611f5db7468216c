// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import java.util.Optional;

/**
 * A TD quote body: TD 1.0 (584 bytes, quote v4 and v5 body type 2) or TD 1.5 (648 bytes, v5 body
 * type 3, adding {@code tee_tcb_svn2} and {@code mr_servicetd}). Field order per Intel TDX DCAP
 * Quoting Library API, "TD Quote Body".
 */
public record TdReport(
    int bodyType,
    byte[] teeTcbSvn,
    byte[] mrSeam,
    byte[] mrSignerSeam,
    byte[] seamAttributes,
    byte[] tdAttributes,
    byte[] xfam,
    byte[] mrTd,
    byte[] mrConfigId,
    byte[] mrOwner,
    byte[] mrOwnerConfig,
    byte[] rtmr0,
    byte[] rtmr1,
    byte[] rtmr2,
    byte[] rtmr3,
    byte[] reportData,
    Optional<byte[]> teeTcbSvn2,
    Optional<byte[]> mrServiceTd)
    implements QuoteBody {
  public static final int TD10_SIZE = 584;
  public static final int TD15_SIZE = 648;

  static TdReport parse(ByteReader reader, int bodyType) throws QuoteFormatException {
    byte[] teeTcbSvn = reader.bytes(16, "tee_tcb_svn");
    byte[] mrSeam = reader.bytes(48, "mrseam");
    byte[] mrSignerSeam = reader.bytes(48, "mrsignerseam");
    byte[] seamAttributes = reader.bytes(8, "seam_attributes");
    byte[] tdAttributes = reader.bytes(8, "td_attributes");
    byte[] xfam = reader.bytes(8, "xfam");
    byte[] mrTd = reader.bytes(48, "mrtd");
    byte[] mrConfigId = reader.bytes(48, "mrconfigid");
    byte[] mrOwner = reader.bytes(48, "mrowner");
    byte[] mrOwnerConfig = reader.bytes(48, "mrownerconfig");
    byte[] rtmr0 = reader.bytes(48, "rtmr0");
    byte[] rtmr1 = reader.bytes(48, "rtmr1");
    byte[] rtmr2 = reader.bytes(48, "rtmr2");
    byte[] rtmr3 = reader.bytes(48, "rtmr3");
    byte[] reportData = reader.bytes(64, "report_data");
    Optional<byte[]> teeTcbSvn2 = Optional.empty();
    Optional<byte[]> mrServiceTd = Optional.empty();
    if (bodyType == 3) {
      teeTcbSvn2 = Optional.of(reader.bytes(16, "tee_tcb_svn2"));
      mrServiceTd = Optional.of(reader.bytes(48, "mrservicetd"));
    }
    return new TdReport(
        bodyType,
        teeTcbSvn,
        mrSeam,
        mrSignerSeam,
        seamAttributes,
        tdAttributes,
        xfam,
        mrTd,
        mrConfigId,
        mrOwner,
        mrOwnerConfig,
        rtmr0,
        rtmr1,
        rtmr2,
        rtmr3,
        reportData,
        teeTcbSvn2,
        mrServiceTd);
  }

  /** The TD's DEBUG attribute (bit 0 of td_attributes). */
  public boolean debug() {
    return (tdAttributes[0] & 0x01) != 0;
  }
}
