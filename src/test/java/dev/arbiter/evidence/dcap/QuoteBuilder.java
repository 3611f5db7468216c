// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

/**
 * Builds and signs a synthetic DCAP quote (TDX v4/v5 or SGX v3) with a fresh attestation key, a QE
 * report signed by the fixtures' PCK key and the PCK chain embedded (certification data type 6
 * wrapping type 5 for TDX; type 5 directly for SGX v3). Setters return {@code this}; {@code bad*}
 * switches produce the negative cases.
 */
public final class QuoteBuilder {
  public static final byte[] TDX_QE_MRSIGNER =
      Hex.decode("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
  public static final byte[] SGX_QE_MRSIGNER =
      Hex.decode("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff");

  private final DcapFixtures fixtures;
  private final boolean tdx;
  private int version;
  private int bodyType = 2;
  private byte[] reportData = new byte[64];
  private byte[] mrTd = DcapFixtures.filled(48, 0x11);
  private byte[] mrConfigId = new byte[48];
  private byte[] mrSeam = DcapFixtures.filled(48, 0x22);
  private byte[] teeTcbSvn = Hex.decode("05010700000000000000000000000000");
  private byte[] tdAttributes = Hex.decode("0000001000000000");
  private byte[] mrEnclave = DcapFixtures.filled(32, 0x33);
  private byte[] mrSigner = DcapFixtures.filled(32, 0x44);
  private byte[] sgxAttributes = Hex.decode("0500000000000000e700000000000000");
  private int qeIsvSvn = 8;
  private byte[] qeVendor = DcapVerifier.INTEL_QE_VENDOR_ID;
  private byte[] qeAuthData = DcapFixtures.filled(32, 0x5a);
  private boolean embedChain = true;
  private boolean badQuoteSignature;
  private boolean badQeSignature;
  private boolean badKeyBinding;
  private byte[] trailing = new byte[0];
  private byte[][] rtmrs = {
    DcapFixtures.filled(48, 0xa0),
    DcapFixtures.filled(48, 0xa1),
    DcapFixtures.filled(48, 0xa2),
    DcapFixtures.filled(48, 0xa3)
  };

  QuoteBuilder(DcapFixtures fixtures, boolean tdx) {
    this.fixtures = fixtures;
    this.tdx = tdx;
    this.version = tdx ? 4 : 3;
  }

  public QuoteBuilder version(int value) {
    version = value;
    return this;
  }

  /** v5 body type: 2 = TD 1.0, 3 = TD 1.5. */
  public QuoteBuilder bodyType(int value) {
    bodyType = value;
    return this;
  }

  public QuoteBuilder reportData(byte[] value) {
    reportData = Arrays.copyOf(value, 64);
    return this;
  }

  /** RTMR{@code index} (0..3), 48 bytes. */
  public QuoteBuilder rtmr(int index, byte[] value) {
    rtmrs[index] = Arrays.copyOf(value, 48);
    return this;
  }

  public QuoteBuilder mrTd(byte[] value) {
    mrTd = value.clone();
    return this;
  }

  public QuoteBuilder mrConfigId(byte[] value) {
    mrConfigId = value.clone();
    return this;
  }

  public QuoteBuilder teeTcbSvn(byte[] value) {
    teeTcbSvn = value.clone();
    return this;
  }

  public QuoteBuilder tdAttributes(byte[] value) {
    tdAttributes = value.clone();
    return this;
  }

  public QuoteBuilder mrEnclave(byte[] value) {
    mrEnclave = value.clone();
    return this;
  }

  public QuoteBuilder mrSigner(byte[] value) {
    mrSigner = value.clone();
    return this;
  }

  public QuoteBuilder sgxAttributes(byte[] value) {
    sgxAttributes = value.clone();
    return this;
  }

  public QuoteBuilder qeIsvSvn(int value) {
    qeIsvSvn = value;
    return this;
  }

  public QuoteBuilder qeVendor(byte[] value) {
    qeVendor = value.clone();
    return this;
  }

  public QuoteBuilder embedChain(boolean value) {
    embedChain = value;
    return this;
  }

  public QuoteBuilder badQuoteSignature() {
    badQuoteSignature = true;
    return this;
  }

  public QuoteBuilder badQeSignature() {
    badQeSignature = true;
    return this;
  }

  public QuoteBuilder badKeyBinding() {
    badKeyBinding = true;
    return this;
  }

  public QuoteBuilder trailing(byte[] value) {
    trailing = value.clone();
    return this;
  }

  public byte[] build() {
    KeyPair attestation = CertBuilder.ecKeyPair("secp256r1");
    byte[] attestationKey = rawPublicKey((ECPublicKey) attestation.getPublic());
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    header(signed);
    body(signed);
    byte[] signedBytes = signed.toByteArray();
    byte[] signature = DcapFixtures.signRaw(attestation.getPrivate(), signedBytes);
    if (badQuoteSignature) {
      signature[5] ^= 1;
    }
    byte[] qeReport = qeReport(attestationKey);
    byte[] qeSignature = DcapFixtures.signRaw(fixtures.pckKey.getPrivate(), qeReport);
    if (badQeSignature) {
      qeSignature[7] ^= 1;
    }
    ByteArrayOutputStream qe = new ByteArrayOutputStream();
    qe.writeBytes(qeReport);
    qe.writeBytes(qeSignature);
    u16(qe, qeAuthData.length);
    qe.writeBytes(qeAuthData);
    byte[] chain = embedChain ? fixtures.pckChainPem() : new byte[0];
    u16(qe, embedChain ? 5 : 3);
    u32(qe, chain.length);
    qe.writeBytes(chain);
    ByteArrayOutputStream signatureData = new ByteArrayOutputStream();
    signatureData.writeBytes(signature);
    signatureData.writeBytes(attestationKey);
    if (version == 3) {
      signatureData.writeBytes(qe.toByteArray());
    } else {
      u16(signatureData, 6);
      u32(signatureData, qe.size());
      signatureData.writeBytes(qe.toByteArray());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(signedBytes);
    u32(out, signatureData.size());
    out.writeBytes(signatureData.toByteArray());
    out.writeBytes(trailing);
    return out.toByteArray();
  }

  private void header(ByteArrayOutputStream out) {
    u16(out, version);
    u16(out, 2);
    u32(out, tdx ? 0x81 : 0);
    u16(out, version == 3 ? qeIsvSvn : 0);
    u16(out, version == 3 ? 13 : 0);
    out.writeBytes(qeVendor);
    out.writeBytes(new byte[20]);
  }

  private void body(ByteArrayOutputStream out) {
    if (!tdx) {
      if (version == 5) {
        u16(out, 1);
        u32(out, 384);
      }
      out.writeBytes(
          enclaveReport(
              DcapFixtures.filled(16, 3), 0, sgxAttributes, mrEnclave, mrSigner, 0, 0, reportData));
      return;
    }
    if (version == 5) {
      u16(out, bodyType);
      u32(out, bodyType == 3 ? 648 : 584);
    }
    out.writeBytes(teeTcbSvn);
    out.writeBytes(mrSeam);
    out.writeBytes(new byte[48]);
    out.writeBytes(new byte[8]);
    out.writeBytes(tdAttributes);
    out.writeBytes(Hex.decode("e702060000000000"));
    out.writeBytes(mrTd);
    out.writeBytes(mrConfigId);
    out.writeBytes(new byte[48]);
    out.writeBytes(new byte[48]);
    for (byte[] rtmr : rtmrs) {
      out.writeBytes(rtmr);
    }
    out.writeBytes(reportData);
    if (version == 5 && bodyType == 3) {
      out.writeBytes(teeTcbSvn);
      out.writeBytes(new byte[48]);
    }
  }

  private byte[] qeReport(byte[] attestationKey) {
    byte[] hash = Digests.sha256(DcapVerifier.concat(attestationKey, qeAuthData));
    if (badKeyBinding) {
      hash[0] ^= 1;
    }
    return enclaveReport(
        DcapFixtures.filled(16, 5),
        0,
        Hex.decode("11000000000000000700000000000000"),
        DcapFixtures.filled(32, 0x66),
        tdx ? TDX_QE_MRSIGNER : SGX_QE_MRSIGNER,
        tdx ? 2 : 1,
        qeIsvSvn,
        Arrays.copyOf(hash, 64));
  }

  static byte[] enclaveReport(
      byte[] cpuSvn,
      int miscSelect,
      byte[] attributes,
      byte[] mrEnclave,
      byte[] mrSigner,
      int isvProdId,
      int isvSvn,
      byte[] reportData) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(cpuSvn);
    u32(out, miscSelect);
    out.writeBytes(new byte[28]);
    out.writeBytes(attributes);
    out.writeBytes(mrEnclave);
    out.writeBytes(new byte[32]);
    out.writeBytes(mrSigner);
    out.writeBytes(new byte[32 + 64]);
    u16(out, isvProdId);
    u16(out, isvSvn);
    u16(out, 0);
    out.writeBytes(new byte[42 + 16]);
    out.writeBytes(reportData);
    return out.toByteArray();
  }

  static byte[] rawPublicKey(ECPublicKey key) {
    byte[] out = new byte[64];
    copy(key.getW().getAffineX(), out, 0);
    copy(key.getW().getAffineY(), out, 32);
    return out;
  }

  private static void copy(java.math.BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 32 ? bytes.length - 32 : 0;
    System.arraycopy(bytes, start, out, offset + 32 - (bytes.length - start), bytes.length - start);
  }

  static void u16(ByteArrayOutputStream out, int value) {
    out.write(value & 0xff);
    out.write(value >>> 8 & 0xff);
  }

  static void u32(ByteArrayOutputStream out, long value) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
