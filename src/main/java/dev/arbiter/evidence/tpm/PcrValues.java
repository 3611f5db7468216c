// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Supplied PCR values by bank and index. Accepted forms: the CLI JSON {@code {"sha256": {"0":
 * "hex", ...}, "sha1": {...}}}, the go-tpm-tools style {@code {"hash_alg": "sha1", "pcrs": {...}}},
 * and the binary PCR file tpm2-tools writes with {@code tpm2_quote -o} (host-endian
 * TPML_PCR_SELECTION followed by TPML_DIGEST lists). Values are not trusted until they hash to a
 * signed pcrDigest.
 */
record PcrValues(Map<TpmAlg, Map<Integer, byte[]>> banks) {
  static final int MAX_PCR = 31;

  static PcrValues parse(byte[] bytes) throws TpmFormatException {
    if (bytes.length > 0 && (bytes[0] == '{' || Character.isWhitespace(bytes[0]))) {
      return fromJson(bytes);
    }
    return Tpm2ToolsPcrFile.parse(bytes);
  }

  private static PcrValues fromJson(byte[] bytes) throws TpmFormatException {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (java.io.IOException | RuntimeException e) {
      throw new TpmFormatException("PCR values are not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new TpmFormatException("PCR values must be a JSON object");
    }
    Map<TpmAlg, Map<Integer, byte[]>> banks = new EnumMap<>(TpmAlg.class);
    if (root.has("pcrs") && root.has("hash_alg")) {
      TpmAlg bank = bank(root.get("hash_alg").asText());
      banks.put(bank, values(bank, root.get("pcrs")));
      return new PcrValues(banks);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      TpmAlg bank = bank(entry.getKey());
      banks.put(bank, values(bank, entry.getValue()));
    }
    return new PcrValues(banks);
  }

  private static TpmAlg bank(String name) throws TpmFormatException {
    return TpmAlg.byBank(name)
        .orElseThrow(() -> new TpmFormatException("unknown PCR bank '" + name + "'"));
  }

  private static Map<Integer, byte[]> values(TpmAlg bank, JsonNode node) throws TpmFormatException {
    if (node == null || !node.isObject()) {
      throw new TpmFormatException("PCR bank " + bank.bank() + " must map indices to hex values");
    }
    Map<Integer, byte[]> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey().startsWith("pcr") ? entry.getKey().substring(3) : entry.getKey();
      int index;
      try {
        index = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        throw new TpmFormatException("PCR index '" + entry.getKey() + "' is not a number");
      }
      if (index < 0 || index > MAX_PCR || !entry.getValue().isTextual()) {
        throw new TpmFormatException(
            "PCR "
                + entry.getKey()
                + " of bank "
                + bank.bank()
                + " is out of range or not a string");
      }
      byte[] value;
      try {
        value = Hex.decode(entry.getValue().asText());
      } catch (IllegalArgumentException e) {
        throw new TpmFormatException("PCR " + index + " of bank " + bank.bank() + " is not hex");
      }
      put(out, bank, index, value);
    }
    return out;
  }

  static void put(Map<Integer, byte[]> bank, TpmAlg alg, int index, byte[] value)
      throws TpmFormatException {
    if (value.length != alg.size) {
      throw new TpmFormatException(
          "PCR "
              + index
              + " of bank "
              + alg.bank()
              + " has "
              + value.length
              + " bytes, expected "
              + alg.size);
    }
    bank.put(index, value);
  }
}
