// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import java.util.ArrayList;
import java.util.List;

/**
 * A TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE (TPM 2.0 Library Part 2, 10.12.12), decoded strictly:
 * the magic must be TPM_GENERATED_VALUE, the type must be a quote, every size field is bounded, and
 * no byte may follow the structure. A TPM2B_ATTEST (UINT16 size prefix) is unwrapped first.
 *
 * @param raw the exact TPMS_ATTEST bytes the signature covers
 */
record TpmsAttest(
    byte[] raw,
    byte[] qualifiedSigner,
    byte[] extraData,
    long clock,
    long resetCount,
    long restartCount,
    boolean safe,
    byte[] firmwareVersion,
    List<PcrSelection> pcrSelect,
    byte[] pcrDigest) {
  static final long MAGIC = 0xff544347L;
  static final int ST_ATTEST_QUOTE = 0x8018;

  /** sizeof(TPMU_NAME): a hash algorithm id and the largest digest. */
  static final int MAX_NAME = 2 + 64;

  static final int MAX_DATA = 64;
  static final int MAX_DIGEST = 64;

  /** HASH_COUNT in the reference implementation: at most one selection per bank. */
  static final int MAX_SELECTIONS = 16;

  /** Anything longer cannot be a quote. */
  static final int MAX_SIZE = 1024;

  TpmsAttest {
    pcrSelect = List.copyOf(pcrSelect);
  }

  static TpmsAttest parse(byte[] input) throws TpmFormatException {
    if (input.length > MAX_SIZE + 2) {
      throw new TpmFormatException(
          "TPMS_ATTEST: " + input.length + " bytes is too large for a quote");
    }
    byte[] raw = unwrapTpm2b(input);
    TpmReader reader = new TpmReader(raw);
    long magic = reader.u32("magic");
    if (magic != MAGIC) {
      throw new TpmFormatException(
          String.format("magic 0x%08x is not TPM_GENERATED_VALUE 0xff544347", magic));
    }
    int type = reader.u16("type");
    if (type != ST_ATTEST_QUOTE) {
      throw TpmFormatException.unsupported(
          String.format("attestation type 0x%04x is not TPM_ST_ATTEST_QUOTE (0x8018)", type));
    }
    byte[] qualifiedSigner = reader.sized("qualifiedSigner", MAX_NAME);
    byte[] extraData = reader.sized("extraData", MAX_DATA);
    long clock = toLong(reader.u64Bytes("clockInfo.clock"), "clockInfo.clock");
    long resetCount = reader.u32("clockInfo.resetCount");
    long restartCount = reader.u32("clockInfo.restartCount");
    int safe = reader.u8("clockInfo.safe");
    if (safe > 1) {
      throw new TpmFormatException("clockInfo.safe is " + safe + ", not a TPMI_YES_NO");
    }
    byte[] firmwareVersion = reader.u64Bytes("firmwareVersion");
    long count = reader.u32("pcrSelect.count");
    if (count < 1 || count > MAX_SELECTIONS) {
      throw new TpmFormatException("pcrSelect.count " + count + " is outside 1.." + MAX_SELECTIONS);
    }
    List<PcrSelection> selections = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      selections.add(PcrSelection.read(reader));
    }
    byte[] pcrDigest = reader.sized("pcrDigest", MAX_DIGEST);
    if (TpmAlg.bySize(pcrDigest.length).isEmpty()) {
      throw new TpmFormatException(
          "pcrDigest has " + pcrDigest.length + " bytes, not a digest size");
    }
    reader.requireEnd("TPMS_ATTEST");
    return new TpmsAttest(
        raw,
        qualifiedSigner,
        extraData,
        clock,
        resetCount,
        restartCount,
        safe == 1,
        firmwareVersion,
        selections,
        pcrDigest);
  }

  /** Strips a TPM2B_ATTEST size prefix when the input has one that covers exactly the rest. */
  private static byte[] unwrapTpm2b(byte[] input) {
    if (input.length >= 6) {
      int size = ((input[0] & 0xff) << 8) | (input[1] & 0xff);
      boolean magicFollows =
          (input[2] & 0xff) == 0xff && input[3] == 'T' && input[4] == 'C' && input[5] == 'G';
      if (size == input.length - 2 && magicFollows) {
        return java.util.Arrays.copyOfRange(input, 2, input.length);
      }
    }
    return input;
  }

  private static long toLong(byte[] bytes, String field) throws TpmFormatException {
    if (bytes[0] < 0) {
      throw new TpmFormatException(field + " exceeds 2^63-1");
    }
    return new java.math.BigInteger(1, bytes).longValueExact();
  }
}
