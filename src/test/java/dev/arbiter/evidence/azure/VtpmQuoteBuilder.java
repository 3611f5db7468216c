// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.crypto.Digests;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic vTPM quotes as an Azure vTPM produces them: a TPMS_ATTEST quote over SHA-256 PCRs 0-23
 * with the given extraData, signed RSASSA-PKCS1-v1_5/SHA-256 (raw signature bytes) by an AK.
 */
final class VtpmQuoteBuilder {
  private VtpmQuoteBuilder() {}

  /** The 24 PCR values used by default: PCR i filled with byte i + 1. */
  static List<byte[]> pcrs() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      byte[] value = new byte[32];
      java.util.Arrays.fill(value, (byte) (i + 1));
      out.add(value);
    }
    return out;
  }

  /**
   * TPMS_ATTEST (TPM_ST_ATTEST_QUOTE) selecting SHA-256 PCRs 0-23 whose pcrDigest hashes {@code
   * pcrs}.
   */
  static byte[] attest(byte[] extraData, List<byte[]> pcrs) {
    ByteArrayOutputStream digestInput = new ByteArrayOutputStream();
    pcrs.forEach(digestInput::writeBytes);
    byte[] pcrDigest = Digests.sha256(digestInput.toByteArray());
    ByteBuffer out = ByteBuffer.allocate(512);
    out.putInt(0xff544347).putShort((short) 0x8018);
    out.putShort((short) 34).putShort((short) 0x000b).put(new byte[32]);
    out.putShort((short) extraData.length).put(extraData);
    out.putLong(123_456_789L).putInt(7).putInt(3).put((byte) 1);
    out.putLong(0x2016051100162800L);
    out.putInt(1)
        .putShort((short) 0x000b)
        .put((byte) 3)
        .put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    out.putShort((short) pcrDigest.length).put(pcrDigest);
    return java.util.Arrays.copyOf(out.array(), out.position());
  }

  static byte[] sign(PrivateKey ak, byte[] attest) {
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(ak);
      signer.update(attest);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** trustee's JSON form: hex strings. */
  static String json(byte[] signature, byte[] message, List<byte[]> pcrs) {
    StringBuilder list = new StringBuilder();
    for (byte[] pcr : pcrs) {
      list.append(list.isEmpty() ? "" : ",")
          .append('"')
          .append(dev.arbiter.internal.Hex.encode(pcr))
          .append('"');
    }
    return "{\"signature\":\""
        + dev.arbiter.internal.Hex.encode(signature)
        + "\",\"message\":\""
        + dev.arbiter.internal.Hex.encode(message)
        + "\",\"pcrs\":["
        + list
        + "]}";
  }

  /** az-cvm-vtpm's bincode form. */
  static byte[] bincode(byte[] signature, byte[] message, List<byte[]> pcrs) {
    ByteBuffer out =
        ByteBuffer.allocate(24 + signature.length + message.length + 32 * pcrs.size())
            .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(signature.length)
        .put(signature)
        .putLong(message.length)
        .put(message)
        .putLong(pcrs.size());
    pcrs.forEach(out::put);
    return out.array();
  }
}
