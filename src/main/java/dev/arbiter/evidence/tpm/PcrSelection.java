// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.util.ArrayList;
import java.util.List;

/** One TPMS_PCR_SELECTION: a bank and the selected PCR indices, ascending. */
record PcrSelection(TpmAlg bank, List<Integer> pcrs) {
  /** Most PCR select bytes accepted (32 PCRs); the TPM minimum is 3 (24 PCRs). */
  static final int MAX_SELECT_BYTES = 4;

  PcrSelection {
    pcrs = List.copyOf(pcrs);
  }

  static PcrSelection read(TpmReader reader) throws TpmFormatException {
    int algId = reader.u16("pcrSelect.hash");
    TpmAlg bank =
        TpmAlg.byId(algId)
            .orElseThrow(() ->
                TpmFormatException.unsupported(
                    String.format("PCR bank algorithm 0x%04x is not supported", algId)));
    int size = reader.u8("pcrSelect.sizeofSelect");
    if (size < 1 || size > MAX_SELECT_BYTES) {
      throw new TpmFormatException(
          "pcrSelect.sizeofSelect " + size + " is outside 1.." + MAX_SELECT_BYTES);
    }
    byte[] bitmap = reader.bytes(size, "pcrSelect.pcrSelect");
    List<Integer> pcrs = new ArrayList<>();
    for (int i = 0; i < size * 8; i++) {
      if ((bitmap[i / 8] & (1 << (i % 8))) != 0) {
        pcrs.add(i);
      }
    }
    return new PcrSelection(bank, pcrs);
  }
}
