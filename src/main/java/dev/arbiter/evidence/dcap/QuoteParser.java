// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import java.util.Arrays;

/**
 * Decodes DCAP quotes (Intel SGX ECDSA Quote Library API: quote v3; Intel TDX DCAP Quoting Library
 * API: quote v4 and v5). Pure and bounds-checked: any malformed input yields a {@link
 * QuoteFormatException}, never an unchecked exception. Does no cryptography.
 */
public final class QuoteParser {
  /** Larger input is refused before parsing (real quotes are ~5 KB plus padding). */
  public static final int MAX_QUOTE_BYTES = 1 << 20;

  private static final int HEADER_SIZE = 48;

  private QuoteParser() {}

  public static Quote parse(byte[] bytes) throws QuoteFormatException {
    if (bytes.length > MAX_QUOTE_BYTES) {
      throw QuoteFormatException.malformed(
          "quote of " + bytes.length + " bytes exceeds " + MAX_QUOTE_BYTES);
    }
    ByteReader reader = new ByteReader(bytes);
    int version = reader.u16("version");
    int keyType = reader.u16("attestation key type");
    long teeType = reader.u32("tee type");
    int qeSvn = reader.u16("qe_svn");
    int pceSvn = reader.u16("pce_svn");
    byte[] vendor = reader.bytes(16, "qe vendor id");
    reader.bytes(20, "user data");
    if (version < 3 || version > 5) {
      throw QuoteFormatException.unsupported("quote version " + version + " (supported: 3, 4, 5)");
    }
    if (keyType != 2) {
      throw QuoteFormatException.unsupported(
          "attestation key type " + keyType + " (supported: 2 = ECDSA P-256)");
    }
    if (teeType != Quote.TEE_SGX && teeType != Quote.TEE_TDX) {
      throw QuoteFormatException.unsupported("TEE type 0x" + Long.toHexString(teeType));
    }
    if (version == 3 && teeType != Quote.TEE_SGX) {
      throw QuoteFormatException.unsupported(
          "quote v3 with TEE type 0x" + Long.toHexString(teeType));
    }
    QuoteBody body = body(reader, version, teeType);
    byte[] signedBytes = Arrays.copyOfRange(bytes, 0, reader.position());
    int signatureDataLength = reader.length32("signature data");
    int end = reader.position() + signatureDataLength;
    ByteReader sig = new ByteReader(bytes, reader.position(), end);
    byte[] signature = sig.bytes(64, "quote signature");
    byte[] attestationKey = sig.bytes(64, "attestation key");
    Quote quote;
    if (version == 3) {
      quote =
          qeSection(
              sig,
              version,
              keyType,
              teeType,
              qeSvn,
              pceSvn,
              vendor,
              body,
              signedBytes,
              signature,
              attestationKey);
    } else {
      int outerType = sig.u16("certification data type");
      int outerLength = sig.length32("certification data");
      if (outerType != Quote.CERT_QE_REPORT) {
        throw QuoteFormatException.unsupported(
            "outer certification data type " + outerType + " (expected 6, QE report)");
      }
      ByteReader inner = new ByteReader(bytes, sig.position(), sig.position() + outerLength);
      quote =
          qeSection(
              inner,
              version,
              keyType,
              teeType,
              qeSvn,
              pceSvn,
              vendor,
              body,
              signedBytes,
              signature,
              attestationKey);
    }
    return withTrailing(quote, bytes.length - end);
  }

  private static QuoteBody body(ByteReader reader, int version, long teeType)
      throws QuoteFormatException {
    if (version == 5) {
      int bodyType = reader.u16("body type");
      long size = reader.u32("body size");
      int expected =
          switch (bodyType) {
            case 1 -> EnclaveReport.SIZE;
            case 2 -> TdReport.TD10_SIZE;
            case 3 -> TdReport.TD15_SIZE;
            default ->
                throw QuoteFormatException.unsupported(
                    "quote v5 body type " + bodyType + " (supported: 1, 2, 3)");
          };
      if (size != expected) {
        throw QuoteFormatException.malformed(
            "quote v5 body type " + bodyType + " has size " + size + ", expected " + expected);
      }
      if ((bodyType == 1) != (teeType == Quote.TEE_SGX)) {
        throw QuoteFormatException.malformed(
            "quote v5 body type "
                + bodyType
                + " does not match TEE type 0x"
                + Long.toHexString(teeType));
      }
      return bodyType == 1 ? EnclaveReport.parse(reader) : TdReport.parse(reader, bodyType);
    }
    return teeType == Quote.TEE_TDX ? TdReport.parse(reader, 2) : EnclaveReport.parse(reader);
  }

  private static Quote qeSection(
      ByteReader reader,
      int version,
      int keyType,
      long teeType,
      int qeSvn,
      int pceSvn,
      byte[] vendor,
      QuoteBody body,
      byte[] signedBytes,
      byte[] signature,
      byte[] attestationKey)
      throws QuoteFormatException {
    byte[] qeReportBytes = reader.bytes(EnclaveReport.SIZE, "QE report");
    EnclaveReport qeReport = EnclaveReport.parse(new ByteReader(qeReportBytes));
    byte[] qeReportSignature = reader.bytes(64, "QE report signature");
    int authLength = reader.u16("QE auth data length");
    byte[] qeAuthData = reader.bytes(authLength, "QE auth data");
    int certType = reader.u16("PCK certification data type");
    int certLength = reader.length32("PCK certification data");
    byte[] certData = reader.bytes(certLength, "PCK certification data");
    return new Quote(
        version,
        keyType,
        teeType,
        qeSvn,
        pceSvn,
        vendor,
        body,
        signedBytes,
        signature,
        attestationKey,
        qeReport,
        qeReportBytes,
        qeReportSignature,
        qeAuthData,
        certType,
        certData,
        0);
  }

  private static Quote withTrailing(Quote q, int trailing) {
    return new Quote(
        q.version(),
        q.attestationKeyType(),
        q.teeType(),
        q.qeSvn(),
        q.pceSvn(),
        q.qeVendorId(),
        q.body(),
        q.signedBytes(),
        q.signature(),
        q.attestationKey(),
        q.qeReport(),
        q.qeReportBytes(),
        q.qeReportSignature(),
        q.qeAuthData(),
        q.certificationDataType(),
        q.certificationData(),
        trailing);
  }
}
