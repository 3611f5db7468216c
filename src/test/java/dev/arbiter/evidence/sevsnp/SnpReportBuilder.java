// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.security.PrivateKey;
import java.util.Arrays;

/**
 * Writes a synthetic ATTESTATION_REPORT (1184 bytes, offsets as in the SEV-SNP ABI specification).
 * Defaults: version 5, policy 0x30000 (SMT, reserved bit 17), VMPL 0, VCEK, ECDSA P-384, CPUID of
 * the product, every TCB field = {@link SnpFixtures#TCB} (Turin: {@link SnpFixtures#TURIN_TCB}).
 */
public final class SnpReportBuilder {
  private final Product product;
  private final byte[] bytes = new byte[AttestationReport.SIZE];

  SnpReportBuilder(Product product) {
    this.product = product;
    version(5).policy(0x30000L).signatureAlgorithm(1).signingKey(SigningKey.VCEK);
    tcb(product == Product.TURIN ? SnpFixtures.TURIN_TCB : SnpFixtures.TCB);
    chipId(SnpFixtures.chipId(product, 1));
    switch (product) {
      case MILAN -> cpuid(0x19, 0x01, 0x01);
      case GENOA -> cpuid(0x19, 0x11, 0x01);
      case TURIN -> cpuid(0x1A, 0x02, 0x01);
    }
    bytes[0x1E8] = 0x2b;
    bytes[0x1E9] = 0x37;
    bytes[0x1EA] = 0x01;
    Arrays.fill(bytes, 0x160, 0x180, (byte) 0xff); // report_id_ma: no migration agent
  }

  public SnpReportBuilder version(int value) {
    return u32(0x00, value);
  }

  public SnpReportBuilder guestSvn(int value) {
    return u32(0x04, value);
  }

  public SnpReportBuilder policy(long value) {
    u32(0x08, (int) value);
    return u32(0x0C, (int) (value >>> 32));
  }

  public SnpReportBuilder vmpl(int value) {
    return u32(0x30, value);
  }

  public SnpReportBuilder signatureAlgorithm(int value) {
    return u32(0x34, value);
  }

  /** Sets the signing_key bits (4:2) of the flags word. */
  public SnpReportBuilder signingKey(SigningKey key) {
    return signingKeyField(key == SigningKey.VCEK ? 0 : 1);
  }

  public SnpReportBuilder signingKeyField(int value) {
    int flags = AttestationReport.u32(bytes, 0x48) & ~0x1c;
    return u32(0x48, flags | (value & 7) << 2);
  }

  public SnpReportBuilder reportData(byte[] value) {
    return put(0x50, value, 64);
  }

  public SnpReportBuilder measurement(byte[] value) {
    return put(0x90, value, 48);
  }

  public SnpReportBuilder hostData(byte[] value) {
    return put(0xC0, value, 32);
  }

  public SnpReportBuilder idKeyDigest(byte[] value) {
    return put(0xE0, value, 48);
  }

  public SnpReportBuilder authorKeyDigest(byte[] value) {
    return put(0x110, value, 48);
  }

  public SnpReportBuilder platformInfo(long value) {
    u32(0x40, (int) value);
    return u32(0x44, (int) (value >>> 32));
  }

  public SnpReportBuilder chipId(byte[] value) {
    return put(0x1A0, value, 64);
  }

  public SnpReportBuilder cpuid(int family, int model, int stepping) {
    bytes[0x188] = (byte) family;
    bytes[0x189] = (byte) model;
    bytes[0x18A] = (byte) stepping;
    return this;
  }

  /** Sets reported, current, committed and launch TCB. */
  public SnpReportBuilder tcb(TcbVersion tcb) {
    byte[] encoded = tcb.encode(product.turinTcbLayout());
    for (int offset : new int[] {0x38, 0x180, 0x1E0, 0x1F0}) {
      System.arraycopy(encoded, 0, bytes, offset, 8);
    }
    return this;
  }

  /** Sets only reported_tcb. */
  public SnpReportBuilder reportedTcb(TcbVersion tcb) {
    System.arraycopy(tcb.encode(product.turinTcbLayout()), 0, bytes, 0x180, 8);
    return this;
  }

  /** The unsigned report (signature all zero). */
  public byte[] unsigned() {
    return bytes.clone();
  }

  /** The report signed with {@code key}. */
  public byte[] signedBy(PrivateKey key) {
    return SnpFixtures.sign(bytes.clone(), key);
  }

  private SnpReportBuilder u32(int offset, int value) {
    for (int i = 0; i < 4; i++) {
      bytes[offset + i] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  private SnpReportBuilder put(int offset, byte[] value, int size) {
    if (value.length > size) {
      throw new IllegalArgumentException("field is " + size + " bytes");
    }
    Arrays.fill(bytes, offset, offset + size, (byte) 0);
    System.arraycopy(value, 0, bytes, offset, value.length);
    return this;
  }
}
