// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A parsed SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP ABI specification, 56860, "ATTESTATION_REPORT
 * Structure"), versions 2, 3 and 5: 1184 bytes, little-endian integers, the signed region is bytes
 * [0x000, 0x2A0). Parsing checks size, version and signature algorithm only; it verifies nothing.
 * The byte arrays are the report's own (callers must not mutate them).
 */
record AttestationReport(byte[] bytes, int version, SigningKey signingKey) {
  static final int SIZE = 0x4A0;
  static final int SIGNED_LENGTH = 0x2A0;
  static final int SIGNATURE_OFFSET = 0x2A0;
  static final int ECDSA_P384_SHA384 = 1;

  /**
   * Parses exactly {@link #SIZE} bytes.
   *
   * @throws ProblemException EVIDENCE_MALFORMED (size, signing key field) or UNSUPPORTED_VERSION
   *     (version, signature algorithm)
   */
  static AttestationReport parse(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "an SEV-SNP attestation report is " + SIZE + " bytes, got " + bytes.length);
    }
    int version = u32(bytes, 0x00);
    if (version != 2 && version != 3 && version != 5) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION,
          "attestation report version "
              + Integer.toUnsignedString(version)
              + " (supported: 2, 3, 5)");
    }
    int algorithm = u32(bytes, 0x34);
    if (algorithm != ECDSA_P384_SHA384) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION,
          "signature_algo "
              + Integer.toUnsignedString(algorithm)
              + " (supported: 1 = ECDSA P-384 with SHA-384)");
    }
    int keyField = (u32(bytes, 0x48) >>> 2) & 0x7;
    SigningKey signingKey =
        switch (keyField) {
          case 0 -> SigningKey.VCEK;
          case 1 -> SigningKey.VLEK;
          case 7 ->
              throw new ProblemException(
                  EvidenceProblem.SIGNATURE_INVALID,
                  "the report's signing_key field is 7 (none): the report is not signed");
          default ->
              throw new ProblemException(
                  EvidenceProblem.EVIDENCE_MALFORMED, "reserved signing_key value " + keyField);
        };
    return new AttestationReport(bytes, version, signingKey);
  }

  int guestSvn() {
    return u32(bytes, 0x04);
  }

  GuestPolicy policy() {
    return new GuestPolicy(u64(bytes, 0x08));
  }

  byte[] familyId() {
    return slice(0x10, 16);
  }

  byte[] imageId() {
    return slice(0x20, 16);
  }

  long vmpl() {
    return Integer.toUnsignedLong(u32(bytes, 0x30));
  }

  long platformInfo() {
    return u64(bytes, 0x40);
  }

  int flags() {
    return u32(bytes, 0x48);
  }

  boolean authorKeyEnabled() {
    return (flags() & 1) != 0;
  }

  boolean maskChipKey() {
    return (flags() & 2) != 0;
  }

  byte[] reportData() {
    return slice(0x50, 64);
  }

  byte[] measurement() {
    return slice(0x90, 48);
  }

  byte[] hostData() {
    return slice(0xC0, 32);
  }

  byte[] idKeyDigest() {
    return slice(0xE0, 48);
  }

  byte[] authorKeyDigest() {
    return slice(0x110, 48);
  }

  byte[] reportId() {
    return slice(0x140, 32);
  }

  byte[] reportIdMa() {
    return slice(0x160, 32);
  }

  /** CPUID family, model and stepping (v3+; zero in v2). */
  int cpuidFamily() {
    return bytes[0x188] & 0xff;
  }

  int cpuidModel() {
    return bytes[0x189] & 0xff;
  }

  int cpuidStepping() {
    return bytes[0x18A] & 0xff;
  }

  byte[] chipId() {
    return slice(0x1A0, 64);
  }

  TcbVersion currentTcb(boolean turin) {
    return TcbVersion.decode(bytes, 0x38, turin);
  }

  TcbVersion reportedTcb(boolean turin) {
    return TcbVersion.decode(bytes, 0x180, turin);
  }

  TcbVersion committedTcb(boolean turin) {
    return TcbVersion.decode(bytes, 0x1E0, turin);
  }

  TcbVersion launchTcb(boolean turin) {
    return TcbVersion.decode(bytes, 0x1F0, turin);
  }

  /** Firmware version as {@code major.minor.build}. */
  String currentFirmware() {
    return firmware(0x1E8);
  }

  String committedFirmware() {
    return firmware(0x1EC);
  }

  /** LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR: present from version 5. */
  Optional<long[]> mitigationVectors() {
    return version >= 5
        ? Optional.of(new long[] {u64(bytes, 0x1F8), u64(bytes, 0x200)})
        : Optional.empty();
  }

  /** The product the CPUID fields name (v3+), if any. */
  Optional<Product> cpuidProduct() {
    return Product.fromCpuid(cpuidFamily(), cpuidModel());
  }

  /** The signature's r and s, each 72 little-endian bytes. */
  byte[] signatureR() {
    return slice(SIGNATURE_OFFSET, 72);
  }

  byte[] signatureS() {
    return slice(SIGNATURE_OFFSET + 72, 72);
  }

  private String firmware(int offset) {
    return (bytes[offset + 2] & 0xff)
        + "."
        + (bytes[offset + 1] & 0xff)
        + "."
        + (bytes[offset] & 0xff);
  }

  private byte[] slice(int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  static int u32(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff)
        | (bytes[offset + 1] & 0xff) << 8
        | (bytes[offset + 2] & 0xff) << 16
        | (bytes[offset + 3] & 0xff) << 24;
  }

  static long u64(byte[] bytes, int offset) {
    return Integer.toUnsignedLong(u32(bytes, offset)) | (long) u32(bytes, offset + 4) << 32;
  }
}
