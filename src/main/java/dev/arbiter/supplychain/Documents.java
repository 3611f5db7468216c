// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provenance and SBOM documents as REST bodies carry them: a string is the document's bytes in
 * base64 (standard or URL-safe, padding optional; what the CLI sends, so digests are over the
 * original file), a JSON object or array is the document itself (its digest is then over the
 * compact JSON serialization).
 */
public final class Documents {
  private static final int MAX_DOCUMENTS = 32;

  private Documents() {}

  public static List<byte[]> list(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(field + " must be a list of documents (base64 strings or JSON)");
    }
    if (node.size() > MAX_DOCUMENTS) {
      throw invalid(field + " holds more than " + MAX_DOCUMENTS + " documents");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(
          one(node.get(i), field + "[" + i + "]")
              .orElseThrow(() -> invalid(field + " has a null entry")));
    }
    return out;
  }

  public static Optional<byte[]> one(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if (node.isObject() || node.isArray()) {
      return Optional.of(Json.write(node).getBytes(StandardCharsets.UTF_8));
    }
    if (!node.isTextual()) {
      throw invalid(field + " must be a base64 string or a JSON document");
    }
    String text = Encodings.withoutWhitespace(node.textValue());
    if (text.isEmpty()) {
      throw invalid(field + " is empty");
    }
    try {
      return Optional.of(Encodings.base64(text));
    } catch (IllegalArgumentException e) {
      throw invalid(field + " is not valid base64: " + e.getMessage());
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(SupplyChainProblem.SUPPLY_CHAIN_DOCUMENT_INVALID, detail);
  }
}
