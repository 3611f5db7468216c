// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.internal.Hex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TCB_VERSION: the security patch levels of the firmware components. Stored as 8 bytes; the byte
 * layout depends on the product. Milan/Genoa: byte0 bootloader, byte1 tee, byte6 snp, byte7
 * microcode. Turin: byte0 fmc, byte1 bootloader, byte2 tee, byte3 snp, byte7 microcode.
 *
 * @param fmc the Turin FMC SPL; -1 on Milan and Genoa, which have none
 */
public record TcbVersion(int bootloader, int tee, int snp, int microcode, int fmc) {

  /** Decodes the 8 bytes at {@code offset} of {@code bytes} with the product's layout. */
  static TcbVersion decode(byte[] bytes, int offset, boolean turinLayout) {
    int b0 = bytes[offset] & 0xff;
    int b1 = bytes[offset + 1] & 0xff;
    int b2 = bytes[offset + 2] & 0xff;
    int b3 = bytes[offset + 3] & 0xff;
    int b6 = bytes[offset + 6] & 0xff;
    int b7 = bytes[offset + 7] & 0xff;
    return turinLayout ? new TcbVersion(b1, b2, b3, b7, b0) : new TcbVersion(b0, b1, b6, b7, -1);
  }

  /** The 8 bytes in memory order (inverse of {@link #decode}). */
  byte[] encode(boolean turinLayout) {
    byte[] out = new byte[8];
    if (turinLayout) {
      out[0] = (byte) Math.max(fmc, 0);
      out[1] = (byte) bootloader;
      out[2] = (byte) tee;
      out[3] = (byte) snp;
    } else {
      out[0] = (byte) bootloader;
      out[1] = (byte) tee;
      out[6] = (byte) snp;
    }
    out[7] = (byte) microcode;
    return out;
  }

  boolean hasFmc() {
    return fmc >= 0;
  }

  /** Claim form: {@code {bootloader, tee, snp, microcode[, fmc]}}. */
  Map<String, Object> toClaims() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bootloader", (long) bootloader);
    out.put("tee", (long) tee);
    out.put("snp", (long) snp);
    out.put("microcode", (long) microcode);
    if (hasFmc()) {
      out.put("fmc", (long) fmc);
    }
    return out;
  }

  /** For messages: {@code bl=3 tee=0 snp=8 ucode=115 [fmc=0]}. */
  @Override
  public String toString() {
    return "bl="
        + bootloader
        + " tee="
        + tee
        + " snp="
        + snp
        + " ucode="
        + microcode
        + (hasFmc() ? " fmc=" + fmc : "");
  }

  static String rawHex(byte[] bytes, int offset) {
    return Hex.encode(bytes, offset, 8);
  }
}
