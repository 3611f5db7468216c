// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.intoto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Subject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-toto Statement, v1 or v0.1 (the statement version says nothing about the predicate version:
 * v0.1 statements wrapping SLSA v1 predicates exist). Parse only payloads whose signature has
 * verified.
 *
 * @param type {@code _type}, one of {@link #V1} or {@link #V01}
 * @param subjects at least one subject, each with a non-empty DigestSet
 * @param predicateType the predicate's type URI
 * @param predicate the predicate tree ({@code null} node when absent)
 */
public record Statement(
    String type, List<Subject> subjects, String predicateType, JsonNode predicate) {
  public static final String V1 = "https://in-toto.io/Statement/v1";
  public static final String V01 = "https://in-toto.io/Statement/v0.1";

  /** Hex lengths of the hash algorithms whose values are checked for format. */
  private static final Map<String, Integer> HEX_LENGTHS =
      Map.ofEntries(
          Map.entry("sha256", 64),
          Map.entry("sha224", 56),
          Map.entry("sha384", 96),
          Map.entry("sha512", 128),
          Map.entry("sha512_224", 56),
          Map.entry("sha512_256", 64),
          Map.entry("sha3_224", 56),
          Map.entry("sha3_256", 64),
          Map.entry("sha3_384", 96),
          Map.entry("sha3_512", 128),
          Map.entry("sha1", 40),
          Map.entry("md5", 32),
          Map.entry("gitCommit", 40),
          Map.entry("gitTree", 40),
          Map.entry("gitBlob", 40),
          Map.entry("gitTag", 40));

  public Statement {
    subjects = List.copyOf(subjects);
  }

  /**
   * Parses and validates a Statement: exact {@code _type}, at least one subject, every subject a
   * non-empty DigestSet of string values, hash values of the right hex length (truncated
   * placeholders are refused; {@code gitCommit} may also be a 64-hex SHA-256 commit), v0.1 subjects
   * carrying a name, and a {@code predicateType}.
   *
   * @throws ProblemException ({@link ProvenanceProblem#PROVENANCE_STATEMENT_INVALID})
   */
  public static Statement parse(byte[] payload) {
    JsonNode root;
    try {
      root = Json.readTree(payload);
    } catch (IOException e) {
      throw invalid("payload is not JSON: " + jsonError(e));
    }
    if (root == null || !root.isObject()) {
      throw invalid("payload is not a JSON object");
    }
    String type = root.path("_type").asText("");
    if (!type.equals(V1) && !type.equals(V01)) {
      throw invalid("unsupported _type '" + abbreviate(type) + "'");
    }
    JsonNode predicateType = root.get("predicateType");
    if (predicateType == null || !predicateType.isTextual() || predicateType.asText().isEmpty()) {
      throw invalid("predicateType is missing");
    }
    JsonNode subjectsNode = root.get("subject");
    if (subjectsNode == null || !subjectsNode.isArray() || subjectsNode.isEmpty()) {
      throw invalid("subject must be a non-empty array");
    }
    List<Subject> subjects = new ArrayList<>();
    for (JsonNode subject : subjectsNode) {
      subjects.add(subject(subject, type.equals(V01), subjects.size()));
    }
    JsonNode predicate = root.get("predicate");
    return new Statement(
        type,
        subjects,
        predicateType.asText(),
        predicate == null ? NullNode.getInstance() : predicate);
  }

  private static Subject subject(JsonNode node, boolean v01, int index) {
    if (!node.isObject()) {
      throw invalid("subject[" + index + "] is not an object");
    }
    JsonNode name = node.get("name");
    if (name != null && !name.isTextual()) {
      throw invalid("subject[" + index + "].name is not a string");
    }
    if (v01 && name == null) {
      throw invalid("subject[" + index + "] has no name (required by Statement v0.1)");
    }
    JsonNode digest = node.get("digest");
    if (digest == null || !digest.isObject() || digest.isEmpty()) {
      throw invalid("subject[" + index + "] has no digest");
    }
    Map<String, String> digests = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : digest.properties()) {
      if (!entry.getValue().isTextual()) {
        throw invalid("subject[" + index + "].digest." + entry.getKey() + " is not a string");
      }
      String value = entry.getValue().asText();
      Integer length = HEX_LENGTHS.get(entry.getKey());
      boolean gitSha256 = entry.getKey().startsWith("git") && value.length() == 64;
      if (length != null && ((value.length() != length && !gitSha256) || !Hex.isHex(value))) {
        throw invalid(
            "subject[" + index + "].digest." + entry.getKey() + " is not a full-length hex value");
      }
      digests.put(
          entry.getKey(), length != null ? value.toLowerCase(java.util.Locale.ROOT) : value);
    }
    return new Subject(name == null ? null : name.asText(), digests);
  }

  static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_STATEMENT_INVALID, detail);
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
