// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The GPU evidence forms accepted as {@code --evidence}: one raw report (the CLI already decoded
 * hex or base64 text), or JSON: Trustee's {@code {"device_evidence_list": [{"arch", "uuid",
 * "evidence", "certificate"}]}}, an NRAS request {@code {"arch", "evidence_list": [{"evidence",
 * "certificate"}]}} or a bare JSON list of {@code {"evidence", "certificate"}}. {@code evidence} is
 * hex or base64; {@code certificate} is the PEM chain, possibly base64-encoded.
 */
final class GpuEvidence {
  static final int MAX_DEVICES = 16;

  private GpuEvidence() {}

  /** One device's report and, when the container carries it, its certificate chain. */
  record Device(
      byte[] report,
      Optional<byte[]> chain,
      Optional<String> uuid,
      Optional<GpuArchitecture> architecture) {}

  static List<Device> parse(byte[] evidence) throws SpdmFormatException {
    String text = firstChar(evidence);
    if (!text.equals("{") && !text.equals("[")) {
      return List.of(new Device(evidence, Optional.empty(), Optional.empty(), Optional.empty()));
    }
    JsonNode root;
    try {
      root = Json.readTree(evidence);
    } catch (java.io.IOException | RuntimeException e) {
      throw new SpdmFormatException("GPU evidence JSON does not parse");
    }
    Optional<GpuArchitecture> declared = architecture(root, Optional.empty());
    JsonNode list = root;
    if (root.isObject()) {
      list =
          root.has("device_evidence_list")
              ? root.get("device_evidence_list")
              : root.get("evidence_list");
    }
    if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_DEVICES) {
      throw new SpdmFormatException(
          "GPU evidence JSON needs a list of 1.." + MAX_DEVICES + " device reports");
    }
    List<Device> devices = new ArrayList<>();
    for (JsonNode item : list) {
      if (!item.isObject() || !item.path("evidence").isTextual()) {
        throw new SpdmFormatException("each GPU entry needs an \"evidence\" string");
      }
      Optional<GpuArchitecture> architecture = architecture(item, declared);
      Optional<byte[]> chain =
          item.path("certificate").isTextual()
              ? Optional.of(certificate(item.get("certificate").asText()))
              : Optional.empty();
      Optional<String> uuid =
          item.path("uuid").isTextual() ? Optional.of(item.get("uuid").asText()) : Optional.empty();
      devices.add(new Device(report(item.get("evidence").asText()), chain, uuid, architecture));
    }
    return devices;
  }

  private static String firstChar(byte[] bytes) {
    for (byte b : bytes) {
      if (!Character.isWhitespace(b)) {
        return String.valueOf((char) b);
      }
    }
    return "";
  }

  /** The entry's {@code arch} (HOPPER or BLACKWELL), else the container's. */
  private static Optional<GpuArchitecture> architecture(
      JsonNode node, Optional<GpuArchitecture> outer) throws SpdmFormatException {
    if (!node.isObject() || !node.has("arch")) {
      return outer;
    }
    String arch = node.get("arch").isTextual() ? node.get("arch").asText() : "";
    Optional<GpuArchitecture> found = GpuArchitecture.byName(arch);
    if (found.isEmpty()) {
      throw SpdmFormatException.unsupported(
          "GPU architecture " + node.get("arch") + " is not supported (HOPPER, BLACKWELL)");
    }
    if (outer.isPresent() && !outer.get().equals(found.get())) {
      throw new SpdmFormatException(
          "a " + found.get().name() + " entry in " + outer.get().name() + " evidence");
    }
    return found;
  }

  private static byte[] report(String text) throws SpdmFormatException {
    try {
      return Hex.isHex(text) ? Encodings.hex(text) : Encodings.base64(text);
    } catch (IllegalArgumentException e) {
      throw new SpdmFormatException("GPU report is neither hex nor base64");
    }
  }

  private static byte[] certificate(String text) throws SpdmFormatException {
    if (text.contains("-----BEGIN")) {
      return text.getBytes(StandardCharsets.US_ASCII);
    }
    try {
      // A base64-encoded PEM chain may be line-wrapped (as by base64(1)): white space is stripped.
      return Encodings.base64(Encodings.withoutWhitespace(text));
    } catch (IllegalArgumentException e) {
      throw new SpdmFormatException("GPU certificate chain is neither PEM nor base64");
    }
  }
}
