// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary PCR file of {@code tpm2_quote -o} / {@code tpm2_pcrread -o}: a little-endian dump of
 * TPML_PCR_SELECTION (UINT32 count, 16 TPMS_PCR_SELECTION padded to 8 bytes), a UINT32 number of
 * TPML_DIGEST and that many TPML_DIGEST (UINT32 count, 8 TPM2B_DIGEST of 2 + 64 bytes). Digests
 * fill the selected PCRs in selection order.
 */
final class Tpm2ToolsPcrFile {
  private static final int SELECTIONS = 16;
  private static final int SELECTION_SIZE = 8;
  private static final int DIGESTS_PER_LIST = 8;
  private static final int DIGEST_SLOT = 2 + 64;
  private static final int MAX_LISTS = 16;

  private Tpm2ToolsPcrFile() {}

  static PcrValues parse(byte[] bytes) throws TpmFormatException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int count = buffer.getInt();
      if (count < 0 || count > SELECTIONS) {
        throw new TpmFormatException("tpm2-tools PCR file: selection count " + count);
      }
      List<TpmAlg> order = new ArrayList<>();
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < SELECTIONS; i++) {
        int start = buffer.position();
        int hash = buffer.getShort() & 0xffff;
        int size = buffer.get() & 0xff;
        byte[] select = new byte[4];
        buffer.get(select);
        buffer.position(start + SELECTION_SIZE);
        if (i >= count) {
          continue;
        }
        if (size > 4) {
          throw new TpmFormatException("tpm2-tools PCR file: sizeofSelect " + size);
        }
        TpmAlg alg =
            TpmAlg.byId(hash)
                .orElseThrow(() ->
                    TpmFormatException.unsupported(
                        String.format("tpm2-tools PCR file: bank 0x%04x", hash)));
        for (int pcr = 0; pcr < size * 8; pcr++) {
          if ((select[pcr / 8] & (1 << (pcr % 8))) != 0) {
            order.add(alg);
            indices.add(pcr);
          }
        }
      }
      int lists = buffer.getInt();
      if (lists < 0 || lists > MAX_LISTS) {
        throw new TpmFormatException("tpm2-tools PCR file: " + lists + " digest lists");
      }
      Map<TpmAlg, Map<Integer, byte[]>> banks = new EnumMap<>(TpmAlg.class);
      int next = 0;
      for (int list = 0; list < lists; list++) {
        int digests = buffer.getInt();
        if (digests < 0 || digests > DIGESTS_PER_LIST) {
          throw new TpmFormatException("tpm2-tools PCR file: digest count " + digests);
        }
        for (int slot = 0; slot < DIGESTS_PER_LIST; slot++) {
          int start = buffer.position();
          int size = buffer.getShort() & 0xffff;
          if (slot < digests) {
            if (size > 64 || next >= order.size()) {
              throw new TpmFormatException(
                  "tpm2-tools PCR file: digest " + next + " does not fit the selection");
            }
            byte[] value = new byte[size];
            buffer.get(value);
            TpmAlg alg = order.get(next);
            PcrValues.put(
                banks.computeIfAbsent(alg, a -> new TreeMap<>()), alg, indices.get(next), value);
            next++;
          }
          buffer.position(start + DIGEST_SLOT);
        }
      }
      if (next != order.size() || buffer.hasRemaining()) {
        throw new TpmFormatException(
            "tpm2-tools PCR file: "
                + next
                + " digests for "
                + order.size()
                + " selected PCRs, "
                + buffer.remaining()
                + " bytes left");
      }
      return new PcrValues(banks);
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new TpmFormatException("tpm2-tools PCR file is truncated");
    }
  }
}
