// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A vTPM quote as Azure tooling (az-cvm-vtpm, trustee) ships it: the AK's signature, the signed
 * TPMS_ATTEST ({@code message}) and the PCR values, in the order the quote's PCR selection hashes
 * them, without indices. Two encodings: JSON {@code {"signature", "message", "pcrs": [...]}} (hex
 * strings or byte arrays; no other members) and az-cvm-vtpm's bincode (u64-LE length + signature,
 * u64-LE length + message, u64-LE count + 32-byte PCR values, nothing after).
 */
record VtpmQuote(byte[] signature, byte[] message, List<byte[]> pcrs) {
  static final int MAX_SIGNATURE = 1024;
  static final int MAX_MESSAGE = 1026;
  static final int MAX_PCRS = 32;
  static final int PCR_SIZE = 32;
  private static final Set<String> MEMBERS = Set.of("signature", "message", "pcrs");

  VtpmQuote {
    pcrs = List.copyOf(pcrs);
  }

  /** Either encoding; @throws ProblemException EVIDENCE_MALFORMED */
  static VtpmQuote parse(byte[] bytes) {
    String start =
        new String(
                bytes, 0, Math.min(bytes.length, 16), java.nio.charset.StandardCharsets.ISO_8859_1)
            .strip();
    if (start.startsWith("{")) {
      JsonNode node;
      try {
        node = Json.readTree(bytes);
      } catch (IOException | RuntimeException e) {
        throw JsonBytes.malformed("the vTPM quote is not well-formed JSON");
      }
      return fromJson(node);
    }
    return fromBincode(bytes);
  }

  static VtpmQuote fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw JsonBytes.malformed("tpm_quote must be a JSON object");
    }
    node.fieldNames()
        .forEachRemaining(name -> {
          if (!MEMBERS.contains(name)) {
            throw JsonBytes.malformed("tpm_quote has an unknown member \"" + name + "\"");
          }
        });
    byte[] signature = JsonBytes.required(node, "signature", MAX_SIGNATURE);
    byte[] message = JsonBytes.required(node, "message", MAX_MESSAGE);
    JsonNode list = node.get("pcrs");
    if (list == null || !list.isArray() || list.size() > MAX_PCRS) {
      throw JsonBytes.malformed(
          "tpm_quote.pcrs must be an array of at most " + MAX_PCRS + " PCR values");
    }
    List<byte[]> pcrs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      pcrs.add(JsonBytes.decode(list.get(i), "tpm_quote.pcrs[" + i + "]", 64));
    }
    return new VtpmQuote(signature, message, pcrs);
  }

  /**
   * az-cvm-vtpm's {@code Quote} as serde_json writes it: {@code signature} and {@code message}
   * arrays of integers, {@code pcrs} an array of 32-integer arrays. Arrays only, no other members.
   */
  static VtpmQuote fromByteArrays(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw JsonBytes.malformed("quote must be a JSON object");
    }
    for (String member : MEMBERS) {
      JsonNode value = node.get(member);
      if (value == null || !value.isArray()) {
        throw JsonBytes.malformed("quote." + member + " must be an array");
      }
    }
    for (JsonNode pcr : node.get("pcrs")) {
      if (!pcr.isArray() || pcr.size() != PCR_SIZE) {
        throw JsonBytes.malformed("quote.pcrs entries must be arrays of " + PCR_SIZE + " bytes");
      }
    }
    return fromJson(node);
  }

  static VtpmQuote fromBincode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] signature = sized(in, "signature", MAX_SIGNATURE);
    byte[] message = sized(in, "message", MAX_MESSAGE);
    long count = u64(in, "pcrs count");
    if (count < 0 || count > MAX_PCRS) {
      throw JsonBytes.malformed(
          "bincode vTPM quote lists "
              + Long.toUnsignedString(count)
              + " PCRs, more than "
              + MAX_PCRS);
    }
    if (in.remaining() != count * PCR_SIZE) {
      throw JsonBytes.malformed(
          "bincode vTPM quote has "
              + in.remaining()
              + " bytes for "
              + count
              + " PCRs of "
              + PCR_SIZE
              + " bytes");
    }
    List<byte[]> pcrs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] value = new byte[PCR_SIZE];
      in.get(value);
      pcrs.add(value);
    }
    return new VtpmQuote(signature, message, pcrs);
  }

  private static byte[] sized(ByteBuffer in, String field, int max) {
    long length = u64(in, field + " length");
    if (length < 0 || length > max || length > in.remaining()) {
      throw JsonBytes.malformed(
          "bincode vTPM quote "
              + field
              + " length "
              + Long.toUnsignedString(length)
              + " exceeds "
              + Math.min(max, in.remaining())
              + " bytes");
    }
    byte[] out = new byte[(int) length];
    in.get(out);
    return out;
  }

  private static long u64(ByteBuffer in, String field) {
    if (in.remaining() < 8) {
      throw JsonBytes.malformed("bincode vTPM quote is truncated at its " + field);
    }
    return in.getLong();
  }
}
