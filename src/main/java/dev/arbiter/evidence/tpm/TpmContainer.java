// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * TPM quotes in the containers real attesters send, recognized by content (README.md "Inputs"):
 * go-tpm-tools' {@code attest.Attestation} protobuf, Trustee's TPM evidence JSON, go-attestation's
 * {@code PlatformParameters} JSON and Keylime's quote string. Parsing only: the embedded AK public
 * key is never trusted by itself, and nothing here is verified.
 *
 * @param form {@code go-tpm-tools}, {@code trustee}, {@code go-attestation} or {@code keylime}
 * @param quotes the quotes, each with the PCR values it was taken over
 * @param akPublic the AK public key the container names (TPMT_PUBLIC, TPM2B_PUBLIC or DER SPKI)
 * @param akCert the AK certificate (DER), go-tpm-tools only
 * @param eventLog the TCG event log it carries
 * @param paddedExtraData the attester zero-pads its report data to 64 bytes (Trustee)
 */
record TpmContainer(
    String form,
    List<GoTpmToolsAttestation.Quote> quotes,
    Optional<byte[]> akPublic,
    Optional<byte[]> akCert,
    Optional<byte[]> eventLog,
    boolean paddedExtraData) {
  static final int MAX_QUOTES = GoTpmToolsAttestation.MAX_QUOTES;

  TpmContainer {
    quotes = List.copyOf(quotes);
  }

  /** The container form the bytes look like; empty for a bare TPMS_ATTEST. */
  static Optional<String> sniff(byte[] bytes) {
    if (GoTpmToolsAttestation.looksLike(bytes)) {
      return Optional.of("go-tpm-tools");
    }
    String start = new String(bytes, 0, Math.min(bytes.length, 8), StandardCharsets.ISO_8859_1);
    if (start.stripLeading().startsWith("{")) {
      return Optional.of("json");
    }
    if (start.startsWith("r") && bytes.length > 4) {
      return Optional.of("keylime");
    }
    return Optional.empty();
  }

  static TpmContainer parse(String sniffed, byte[] bytes) throws TpmFormatException {
    return switch (sniffed) {
      case "go-tpm-tools" -> {
        GoTpmToolsAttestation proto = GoTpmToolsAttestation.parse(bytes);
        yield new TpmContainer(
            "go-tpm-tools", proto.quotes(), proto.akPub(), proto.akCert(), proto.eventLog(), false);
      }
      case "keylime" -> keylime(bytes);
      default -> json(bytes);
    };
  }

  /** Keylime: {@code r<b64 TPMS_ATTEST>:<b64 TPMT_SIGNATURE>:<b64 tpm2-tools PCR file>}. */
  private static TpmContainer keylime(byte[] bytes) throws TpmFormatException {
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    String[] parts = text.substring(1).split(":", -1);
    if (parts.length != 3) {
      throw new TpmFormatException(
          "Keylime quote must be r<quote>:<signature>:<pcrs> (base64), found "
              + parts.length
              + " parts");
    }
    byte[] attest = base64("Keylime quote", parts[0]);
    byte[] signature = base64("Keylime signature", parts[1]);
    PcrValues pcrs = Tpm2ToolsPcrFile.parse(base64("Keylime PCR blob", parts[2]));
    return new TpmContainer(
        "keylime",
        List.of(new GoTpmToolsAttestation.Quote(attest, signature, pcrs)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  private static TpmContainer json(byte[] bytes) throws TpmFormatException {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (java.io.IOException | RuntimeException e) {
      throw new TpmFormatException("TPM evidence JSON does not parse");
    }
    if (root == null || !root.isObject()) {
      throw new TpmFormatException("TPM evidence JSON must be an object");
    }
    if (root.has("tpm_quote")) {
      return trustee(root);
    }
    if (root.has("Quotes")) {
      return platformParameters(root);
    }
    if (root.has("CreateAttestation")) {
      throw TpmFormatException.unsupported(
          "go-attestation AttestationParameters certify an AK's creation; they hold no quote (send"
              + " PlatformParameters)");
    }
    throw new TpmFormatException(
        "JSON evidence is neither Trustee TPM evidence (ak_public, tpm_quote) nor go-attestation"
            + " PlatformParameters (Quotes, PCRs)");
  }

  /**
   * Trustee (attestation-agent TPM attester): {@code ak_public} base64 (marshalled TPMT_PUBLIC, or
   * DER SPKI in the verifier's test data), {@code tpm_quote.message} base64 TPMS_ATTEST, {@code
   * signature} base64 TPMT_SIGNATURE, {@code pcrs} hex SHA-256 PCR values indexed by position;
   * optional {@code event_log} base64.
   */
  private static TpmContainer trustee(JsonNode root) throws TpmFormatException {
    JsonNode quote = root.get("tpm_quote");
    if (!quote.isObject()) {
      throw new TpmFormatException("Trustee tpm_quote must be an object");
    }
    byte[] message = base64("tpm_quote.message", text(quote, "message"));
    byte[] signature = base64("tpm_quote.signature", text(quote, "signature"));
    JsonNode list = quote.get("pcrs");
    if (list == null || !list.isArray() || list.size() > PcrValues.MAX_PCR + 1) {
      throw new TpmFormatException("Trustee tpm_quote.pcrs must be a list of at most 32 values");
    }
    Map<Integer, byte[]> bank = new TreeMap<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        throw new TpmFormatException("Trustee tpm_quote.pcrs[" + i + "] is not a string");
      }
      PcrValues.put(bank, TpmAlg.SHA256, i, hex("tpm_quote.pcrs[" + i + "]", list.get(i).asText()));
    }
    Map<TpmAlg, Map<Integer, byte[]>> banks = new EnumMap<>(TpmAlg.class);
    banks.put(TpmAlg.SHA256, bank);
    Optional<byte[]> ak =
        root.hasNonNull("ak_public")
            ? Optional.of(base64("ak_public", text(root, "ak_public")))
            : Optional.empty();
    return new TpmContainer(
        "trustee",
        List.of(new GoTpmToolsAttestation.Quote(message, signature, new PcrValues(banks))),
        ak,
        Optional.empty(),
        optionalBase64(root, "event_log"),
        true);
  }

  /**
   * go-attestation {@code attest.PlatformParameters} as encoding/json writes it: {@code TPMVersion}
   * (2), {@code Public} (TPMT_PUBLIC), {@code Quotes} [{@code Quote}, {@code Signature}], {@code
   * PCRs} [{@code Index}, {@code Digest}, {@code DigestAlg} as Go crypto.Hash: 3 SHA-1, 5 SHA-256,
   * 6 SHA-384, 7 SHA-512], {@code EventLog}; byte fields base64.
   */
  private static TpmContainer platformParameters(JsonNode root) throws TpmFormatException {
    if (root.path("TPMVersion").asInt(2) != 2) {
      throw TpmFormatException.unsupported(
          "go-attestation TPMVersion " + root.path("TPMVersion").asText() + " (only TPM 2.0)");
    }
    Map<TpmAlg, Map<Integer, byte[]>> banks = new EnumMap<>(TpmAlg.class);
    JsonNode pcrs = root.path("PCRs");
    if (!pcrs.isArray() && !pcrs.isNull() && !pcrs.isMissingNode()) {
      throw new TpmFormatException("go-attestation PCRs must be a list");
    }
    for (JsonNode pcr : pcrs) {
      int index = pcr.path("Index").asInt(-1);
      TpmAlg alg =
          switch (pcr.path("DigestAlg").asInt(-1)) {
            case 3 -> TpmAlg.SHA1;
            case 5 -> TpmAlg.SHA256;
            case 6 -> TpmAlg.SHA384;
            case 7 -> TpmAlg.SHA512;
            default ->
                throw TpmFormatException.unsupported(
                    "go-attestation PCR DigestAlg " + pcr.path("DigestAlg").asText());
          };
      if (index < 0 || index > PcrValues.MAX_PCR) {
        throw new TpmFormatException("go-attestation PCR index " + pcr.path("Index").asText());
      }
      PcrValues.put(
          banks.computeIfAbsent(alg, a -> new TreeMap<>()),
          alg,
          index,
          base64("PCRs[].Digest", text(pcr, "Digest")));
    }
    JsonNode quotes = root.path("Quotes");
    if (!quotes.isArray() || quotes.isEmpty() || quotes.size() > MAX_QUOTES) {
      throw new TpmFormatException(
          "go-attestation Quotes must list 1 to " + MAX_QUOTES + " quotes");
    }
    List<GoTpmToolsAttestation.Quote> out = new ArrayList<>();
    PcrValues values = new PcrValues(banks);
    for (JsonNode quote : quotes) {
      out.add(
          new GoTpmToolsAttestation.Quote(
              base64("Quotes[].Quote", text(quote, "Quote")),
              base64("Quotes[].Signature", text(quote, "Signature")),
              values));
    }
    return new TpmContainer(
        "go-attestation",
        out,
        optionalBase64(root, "Public"),
        Optional.empty(),
        optionalBase64(root, "EventLog"),
        false);
  }

  private static String text(JsonNode node, String field) throws TpmFormatException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new TpmFormatException(field + " must be a string");
    }
    return value.asText();
  }

  private static Optional<byte[]> optionalBase64(JsonNode node, String field)
      throws TpmFormatException {
    return node.hasNonNull(field)
        ? Optional.of(base64(field, text(node, field)))
        : Optional.empty();
  }

  private static byte[] base64(String field, String text) throws TpmFormatException {
    try {
      return Encodings.base64(text);
    } catch (IllegalArgumentException e) {
      throw new TpmFormatException(field + " is not base64");
    }
  }

  private static byte[] hex(String field, String text) throws TpmFormatException {
    try {
      return Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw new TpmFormatException(field + " is not hex");
    }
  }
}
