// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An NVIDIA GPU attestation report (Hopper and Blackwell alike): the SPDM 1.1 GET_MEASUREMENTS
 * request (with the requester nonce) followed by the signed MEASUREMENTS response (DSP0274 1.1,
 * 10.11), decoded strictly: fixed version and codes, a signature-requested request, DMTF
 * measurement blocks that fill the record exactly, opaque TLVs that fill the opaque field exactly,
 * and a 96-byte ECDSA P-384 r||s signature. After the signature only zero bytes may follow:
 * Confidential Containers' attestation-agent captures carry such padding, and Trustee's verifier
 * ends the report at the signature and never reads what follows. Arbiter counts the padding ({@code
 * trailingBytes}), reads nothing from it and refuses any non-zero byte there.
 *
 * @param signed every byte the signature covers (request and response up to the signature)
 * @param trailingBytes how many zero bytes followed the signature (unsigned padding)
 */
record SpdmReport(
    int version,
    byte[] nonce,
    int slot,
    byte[] responderNonce,
    List<MeasurementBlock> blocks,
    OpaqueData opaque,
    byte[] signed,
    byte[] signature,
    int trailingBytes) {
  static final int GET_MEASUREMENTS = 0xE0;
  static final int MEASUREMENTS = 0x60;
  static final int REQUEST_SIZE = 37;
  static final int NONCE_SIZE = 32;
  static final int MAX_OPAQUE = 1024;
  static final int MAX_REPORT = 64 * 1024;

  SpdmReport {
    blocks = List.copyOf(blocks);
  }

  /** A Hopper report (the layout every supported generation shares). */
  static SpdmReport parse(byte[] report) throws SpdmFormatException {
    return parse(report, GpuArchitecture.HOPPER);
  }

  /** A report with the generation's SPDM version and signature size. */
  static SpdmReport parse(byte[] report, GpuArchitecture architecture) throws SpdmFormatException {
    if (report.length > MAX_REPORT) {
      throw new SpdmFormatException(
          "attestation report of " + report.length + " bytes is too large");
    }
    SpdmReader reader = new SpdmReader(report);
    int version = reader.u8("request.version");
    if (version != architecture.spdmVersion()) {
      throw SpdmFormatException.unsupported(
          String.format(
              "SPDM version 0x%02x is not the %s GPUs' 0x%02x",
              version, architecture.name(), architecture.spdmVersion()));
    }
    expect(reader.u8("request.code"), GET_MEASUREMENTS, "request code");
    int attributes = reader.u8("request.param1");
    if ((attributes & 0x01) == 0) {
      throw new SpdmFormatException("GET_MEASUREMENTS did not request a signature");
    }
    reader.u8("request.param2");
    byte[] nonce = reader.bytes(NONCE_SIZE, "request.nonce");
    int slot = reader.u8("request.slot") & 0x0f;
    expect(reader.u8("response.version"), version, "response version");
    expect(reader.u8("response.code"), MEASUREMENTS, "response code");
    reader.u8("response.param1");
    reader.u8("response.param2");
    int count = reader.u8("response.numberOfBlocks");
    int recordLength = reader.u24("response.measurementRecordLength");
    SpdmReader record = new SpdmReader(reader.bytes(recordLength, "response.measurementRecord"));
    List<MeasurementBlock> blocks = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    while (record.remaining() > 0) {
      MeasurementBlock block = MeasurementBlock.read(record);
      if (!seen.add(block.index())) {
        throw new SpdmFormatException("measurement index " + block.index() + " appears twice");
      }
      blocks.add(block);
    }
    if (blocks.size() != count) {
      throw new SpdmFormatException(
          "NumberOfBlocks is " + count + " but the record holds " + blocks.size());
    }
    byte[] responderNonce = reader.bytes(NONCE_SIZE, "response.nonce");
    int opaqueLength = reader.u16("response.opaqueLength");
    if (opaqueLength > MAX_OPAQUE) {
      throw new SpdmFormatException(
          "opaque data of " + opaqueLength + " bytes exceeds " + MAX_OPAQUE);
    }
    OpaqueData opaque = OpaqueData.parse(reader.bytes(opaqueLength, "response.opaqueData"));
    int signedLength = reader.position();
    int signatureSize = architecture.signatureSize();
    if (reader.remaining() < signatureSize) {
      throw new SpdmFormatException(
          reader.remaining()
              + " bytes follow the opaque data; expected the "
              + signatureSize
              + "-byte signature");
    }
    byte[] signature = reader.bytes(signatureSize, "signature");
    int trailing = reader.remaining();
    byte[] padding = reader.bytes(trailing, "padding");
    for (byte b : padding) {
      if (b != 0) {
        throw new SpdmFormatException(
            trailing
                + " bytes follow the signature and not all are zero;"
                + " only zero padding may follow the signed MEASUREMENTS response");
      }
    }
    return new SpdmReport(
        version,
        nonce,
        slot,
        responderNonce,
        blocks,
        opaque,
        Arrays.copyOf(report, signedLength),
        signature,
        trailing);
  }

  private static void expect(int actual, int expected, String what) throws SpdmFormatException {
    if (actual != expected) {
      throw new SpdmFormatException(
          String.format("%s is 0x%02x, expected 0x%02x", what, actual, expected));
    }
  }
}
