// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.crypto.Digests;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates TPM structures the way a TPM marshals them (big-endian), so unit tests can build quotes
 * signed by their own keys: TPMS_ATTEST, TPMT_SIGNATURE (RSASSA, RSAPSS, ECDSA), TPMT_PUBLIC and
 * PCR JSON. Test code only.
 */
public final class TpmFixtures {
  static final byte[] SIGNER = hex("000b" + "11".repeat(32));
  static final byte[] FIRMWARE = hex("2016051100162800");

  private TpmFixtures() {}

  static byte[] hex(String text) {
    return dev.arbiter.internal.Hex.decode(text);
  }

  /** PCR values: index -> 32 bytes of {@code index + 1} in the SHA-256 bank. */
  static Map<Integer, byte[]> pcrs(int... indices) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int index : indices) {
      byte[] value = new byte[32];
      Arrays.fill(value, (byte) (index + 1));
      out.put(index, value);
    }
    return out;
  }

  public static byte[] pcrJson(Map<Integer, byte[]> sha256) {
    StringBuilder json = new StringBuilder("{\"sha256\": {");
    String separator = "";
    for (var entry : sha256.entrySet()) {
      json.append(separator)
          .append('"')
          .append(entry.getKey())
          .append("\": \"")
          .append(dev.arbiter.internal.Hex.encode(entry.getValue()))
          .append('"');
      separator = ", ";
    }
    return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A quote over the SHA-256 bank PCRs given, with extraData {@code nonce}. */
  public static byte[] quote(byte[] nonce, Map<Integer, byte[]> pcrs) {
    ByteArrayOutputStream digestInput = new ByteArrayOutputStream();
    byte[] select = new byte[3];
    for (var entry : pcrs.entrySet()) {
      select[entry.getKey() / 8] |= (byte) (1 << (entry.getKey() % 8));
    }
    new java.util.TreeMap<>(pcrs).values().forEach(digestInput::writeBytes);
    return attest(
        0xff544347L,
        0x8018,
        nonce,
        List.of(0x000B),
        select,
        Digests.sha256(digestInput.toByteArray()));
  }

  static byte[] attest(
      long magic, int type, byte[] nonce, List<Integer> banks, byte[] select, byte[] pcrDigest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u32(out, magic);
    u16(out, type);
    sized(out, SIGNER);
    sized(out, nonce);
    out.writeBytes(hex("00000000075bcd15")); // clock 123456789
    u32(out, 3); // resetCount
    u32(out, 1); // restartCount
    out.write(1); // safe
    out.writeBytes(FIRMWARE);
    u32(out, banks.size());
    for (int bank : banks) {
      u16(out, bank);
      out.write(select.length);
      out.writeBytes(select);
    }
    sized(out, pcrDigest);
    return out.toByteArray();
  }

  public static byte[] rsassa(PrivateKey key, byte[] attest) throws Exception {
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(attest);
    return rsaSignature(0x0014, signer.sign());
  }

  static byte[] rsapss(PrivateKey key, byte[] attest) throws Exception {
    Signature signer = Signature.getInstance("RSASSA-PSS");
    signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    signer.initSign(key);
    signer.update(attest);
    return rsaSignature(0x0016, signer.sign());
  }

  static byte[] ecdsa(PrivateKey key, byte[] attest) throws Exception {
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(attest);
    byte[] rs = signer.sign();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, 0x0018);
    u16(out, 0x000B);
    sized(out, Arrays.copyOfRange(rs, 0, rs.length / 2));
    sized(out, Arrays.copyOfRange(rs, rs.length / 2, rs.length));
    return out.toByteArray();
  }

  private static byte[] rsaSignature(int scheme, byte[] signature) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, scheme);
    u16(out, 0x000B);
    sized(out, signature);
    return out.toByteArray();
  }

  /** A TPMT_PUBLIC for an RSA (RSASSA/SHA-256) or P-256 (ECDSA/SHA-256) signing key. */
  static byte[] tpmtPublic(KeyPair pair, boolean restricted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean rsa = pair.getPublic() instanceof RSAPublicKey;
    u16(out, rsa ? 0x0001 : 0x0023);
    u16(out, 0x000B);
    u32(out, 0x00040072L | (restricted ? 0x00010000L : 0));
    sized(out, new byte[0]);
    u16(out, 0x0010); // symmetric NULL
    u16(out, rsa ? 0x0014 : 0x0018);
    u16(out, 0x000B);
    if (rsa) {
      RSAPublicKey key = (RSAPublicKey) pair.getPublic();
      u16(out, key.getModulus().bitLength());
      u32(out, 0);
      sized(out, unsigned(key.getModulus(), key.getModulus().bitLength() / 8));
    } else {
      ECPublicKey key = (ECPublicKey) pair.getPublic();
      u16(out, 0x0003);
      u16(out, 0x0010);
      sized(out, unsigned(key.getW().getAffineX(), 32));
      sized(out, unsigned(key.getW().getAffineY(), 32));
    }
    return out.toByteArray();
  }

  public static String pem(java.security.PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
    return out;
  }

  private static void sized(ByteArrayOutputStream out, byte[] value) {
    u16(out, value.length);
    out.writeBytes(value);
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write(value >> 8);
    out.write(value);
  }

  private static void u32(ByteArrayOutputStream out, long value) {
    u16(out, (int) (value >> 16) & 0xffff);
    u16(out, (int) value & 0xffff);
  }
}
