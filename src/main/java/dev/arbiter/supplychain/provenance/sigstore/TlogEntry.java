// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Rekor transparency-log entry as a bundle carries it (unverified).
 *
 * @param logIndex the global log index
 * @param logId SHA-256 of the log's DER public key
 * @param kind the entry kind ({@code intoto}, {@code dsse}, {@code hashedrekord})
 * @param kindVersion the kind's version
 * @param integratedTime Unix seconds at which the log integrated the entry
 * @param signedEntryTimestamp the SET (null when absent)
 * @param proof the inclusion proof (null when absent)
 * @param body the decoded {@code canonicalizedBody}
 * @param bodyText {@code canonicalizedBody} as it appeared (base64), which the SET covers
 */
public record TlogEntry(
    long logIndex,
    byte[] logId,
    String kind,
    String kindVersion,
    long integratedTime,
    byte[] signedEntryTimestamp,
    InclusionProof proof,
    byte[] body,
    String bodyText) {

  /** An RFC 9162 inclusion proof with its signed checkpoint (null when absent). */
  public record InclusionProof(
      long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {}

  static TlogEntry parse(JsonNode node) {
    if (!node.isObject()) {
      throw Bundle.malformed("tlog entry is not an object");
    }
    byte[] set =
        node.path("inclusionPromise").hasNonNull("signedEntryTimestamp")
            ? Bundle.base64(
                node.path("inclusionPromise").get("signedEntryTimestamp"), "signedEntryTimestamp")
            : null;
    InclusionProof proof = null;
    JsonNode proofNode = node.get("inclusionProof");
    if (proofNode != null && !proofNode.isNull()) {
      List<byte[]> hashes = new ArrayList<>();
      for (JsonNode hash : proofNode.path("hashes")) {
        hashes.add(Bundle.base64(hash, "inclusionProof.hashes"));
      }
      JsonNode checkpoint = proofNode.path("checkpoint").path("envelope");
      proof =
          new InclusionProof(
              number(proofNode.path("logIndex"), "inclusionProof.logIndex"),
              Bundle.base64(proofNode.path("rootHash"), "inclusionProof.rootHash"),
              number(proofNode.path("treeSize"), "inclusionProof.treeSize"),
              hashes,
              checkpoint.isTextual() ? checkpoint.asText() : null);
    }
    JsonNode bodyNode = node.path("canonicalizedBody");
    return new TlogEntry(
        number(node.path("logIndex"), "logIndex"),
        Bundle.base64(node.path("logId").path("keyId"), "logId.keyId"),
        node.path("kindVersion").path("kind").asText(""),
        node.path("kindVersion").path("version").asText(""),
        number(node.path("integratedTime"), "integratedTime"),
        set,
        proof,
        Bundle.base64(bodyNode, "canonicalizedBody"),
        bodyNode.asText());
  }

  /** int64 fields come as strings (protobuf JSON) or numbers. */
  private static long number(JsonNode node, String field) {
    try {
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return node.asLong();
      }
      if (node.isTextual()) {
        return Long.parseLong(node.asText());
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Bundle.malformed("tlog field " + field + " is missing or not an integer");
  }
}
