// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import dev.arbiter.supplychain.provenance.sigstore.Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a provenance file into the signed items it holds, sniffing content (never the file name):
 * a Sigstore bundle; a bare DSSE envelope; JSON Lines or a JSON array of either; npm's {@code
 * {"attestations": [{"bundle"}]}}; or {@code gcloud ... --show-provenance} output, whose envelopes
 * may be signed over the raw payload and whose unsigned {@code intotoStatement} copy is ignored.
 */
final class ProvenanceInput {
  static final int MAX_ITEMS = 1000;

  private ProvenanceInput() {}

  /** One signed item, or the problem that prevented parsing it. */
  sealed interface Item {}

  record BundleItem(Bundle bundle) implements Item {}

  record EnvelopeItem(Envelope envelope, boolean rawPayloadAllowed) implements Item {}

  record BadItem(Problem problem) implements Item {}

  static List<Item> split(byte[] bytes) {
    List<JsonNode> documents = documents(bytes);
    List<Item> items = new ArrayList<>();
    for (JsonNode document : documents) {
      collect(document, items);
      if (items.size() > MAX_ITEMS) {
        throw malformed("more than " + MAX_ITEMS + " signed items");
      }
    }
    if (items.isEmpty()) {
      throw malformed("no DSSE envelope or Sigstore bundle found");
    }
    return items;
  }

  private static List<JsonNode> documents(byte[] bytes) {
    try {
      return List.of(Json.readTree(bytes));
    } catch (IOException whole) {
      List<JsonNode> lines = new ArrayList<>();
      int number = 0;
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          lines.add(Json.readTree(line));
        } catch (IOException e) {
          throw malformed(
              number == 1
                  ? "not JSON or JSON Lines: " + jsonError(e)
                  : "line " + number + " is not JSON: " + jsonError(e));
        }
      }
      if (lines.isEmpty()) {
        throw malformed("empty input");
      }
      return lines;
    }
  }

  private static void collect(JsonNode node, List<Item> items) {
    if (node != null && node.isArray() && items.isEmpty()) {
      for (JsonNode element : node) {
        if (element.isArray()) {
          items.add(
              new BadItem(
                  Problem.of(
                      ProvenanceProblem.PROVENANCE_MALFORMED, "nested arrays of provenance")));
        } else {
          collect(element, items);
        }
      }
      return;
    }
    if (node == null || !node.isObject()) {
      items.add(
          new BadItem(
              Problem.of(
                  ProvenanceProblem.PROVENANCE_MALFORMED,
                  "a provenance document is not a JSON object")));
      return;
    }
    try {
      if (node.has("mediaType")) {
        if (!Bundle.looksLike(node)) {
          throw new ProblemException(
              ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED,
              "unsupported mediaType '"
                  + abbreviate(node.path("mediaType").asText(""))
                  + "' (expected a Sigstore bundle)");
        }
        items.add(new BundleItem(Bundle.parse(node)));
      } else if (node.has("payloadType") || node.has("payload")) {
        items.add(new EnvelopeItem(Envelope.parse(node), false));
      } else if (node.has("provenance_summary")) {
        JsonNode provenance = node.path("provenance_summary").path("provenance");
        if (!provenance.isArray() || provenance.isEmpty()) {
          throw malformed("provenance_summary has no provenance entries");
        }
        for (JsonNode entry : provenance) {
          items.add(new EnvelopeItem(Envelope.parse(entry.get("envelope")), true));
        }
      } else if (node.has("attestations") && node.get("attestations").isArray()) {
        for (JsonNode attestation : node.get("attestations")) {
          collect(attestation.get("bundle"), items);
        }
      } else if (node.has("_type")) {
        throw malformed(
            "an unsigned in-toto Statement; provenance must be a signed envelope or bundle");
      } else {
        throw malformed("neither a DSSE envelope nor a Sigstore bundle");
      }
    } catch (ProblemException e) {
      items.add(new BadItem(e.problem()));
    }
  }

  static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_MALFORMED, detail);
  }

  static String jsonError(IOException e) {
    String message =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException json
            ? json.getOriginalMessage()
            : e.getMessage();
    return message == null
        ? ""
        : message.length() > 160 ? message.substring(0, 160) + "..." : message;
  }
}
