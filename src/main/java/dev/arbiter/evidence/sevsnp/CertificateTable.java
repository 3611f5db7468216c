// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GHCB extended-guest-request certificate table that Linux returns beside the report (configfs
 * tsm {@code auxblob}, SNP_GET_EXT_REPORT): 24-byte entries {GUID (16 bytes), offset u32 LE, length
 * u32 LE}, terminated by an all-zero entry, offsets relative to the table start. Only the VCEK and
 * VLEK entries are returned: Arbiter anchors on its own ASK/ASVK/ARK, never on the ones a host
 * supplies.
 */
final class CertificateTable {
  static final String VCEK_GUID = "63da758de6644564adc5f4b93be8accd";
  static final String VLEK_GUID = "a8074bc2a25a483eaae639c045a0b8a1";
  private static final int ENTRY = 24;
  private static final int MAX_ENTRIES = 64;

  private CertificateTable() {}

  /** True when {@code bytes} start with a plausible table (an entry with a known GUID). */
  static boolean looksLikeTable(byte[] bytes) {
    if (bytes.length < 2 * ENTRY) {
      return false;
    }
    String guid = Hex.encode(bytes, 0, 16);
    return guid.equals(VCEK_GUID)
        || guid.equals(VLEK_GUID)
        || guid.equals("c0b406a4a803495297433fb6014cd0ae")
        || guid.equals("4ab7b379bbac4fe4a02f05aef327c782");
  }

  /**
   * The VCEK/VLEK certificates (PEM or DER bytes, as stored) in the table.
   *
   * @throws ProblemException EVIDENCE_MALFORMED when the table is truncated or points outside
   *     itself
   */
  static List<byte[]> keyCertificates(byte[] table) {
    List<byte[]> out = new ArrayList<>();
    for (int index = 0; ; index++) {
      int at = index * ENTRY;
      if (index >= MAX_ENTRIES || at + ENTRY > table.length) {
        throw malformed("certificate table has no terminating all-zero entry");
      }
      String guid = Hex.encode(table, at, 16);
      long offset = Integer.toUnsignedLong(AttestationReport.u32(table, at + 16));
      long length = Integer.toUnsignedLong(AttestationReport.u32(table, at + 20));
      if (guid.equals("00000000000000000000000000000000") && offset == 0 && length == 0) {
        return out;
      }
      if (offset + length > table.length || offset < (long) (index + 1) * ENTRY) {
        throw malformed("certificate table entry " + index + " points outside the table");
      }
      if (guid.equals(VCEK_GUID) || guid.equals(VLEK_GUID)) {
        out.add(Arrays.copyOfRange(table, (int) offset, (int) (offset + length)));
      }
    }
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(EvidenceProblem.EVIDENCE_MALFORMED, detail);
  }
}
