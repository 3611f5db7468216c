// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.util.List;

/**
 * An inclusion proof as JSON: {@code {"leaf_index", "tree_size", "leaf_hash", "hashes":
 * [base64...], "checkpoint": "<signed note>"}}. Hashes are standard base64 of 32 bytes, in RFC 9162
 * 2.1.3.1 order (leaf side first). The checkpoint is the signed checkpoint at {@code tree_size}
 * when the log has one (omitted otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InclusionProof(
    @JsonProperty(value = "leaf_index", required = true) long leafIndex,
    @JsonProperty(value = "tree_size", required = true) long treeSize,
    @JsonProperty(value = "leaf_hash", required = true) String leafHash,
    @JsonProperty(value = "hashes", required = true) List<String> hashes,
    @JsonProperty("checkpoint") String checkpoint) {
  public InclusionProof {
    hashes = List.copyOf(hashes);
  }

  static InclusionProof of(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> hashes, String checkpoint) {
    return new InclusionProof(
        leafIndex,
        treeSize,
        B64.encode(leafHash),
        hashes.stream().map(B64::encode).toList(),
        checkpoint);
  }

  public String toJson() {
    return Json.write(this);
  }

  /** Parses the JSON form strictly (unknown members fail). @throws IOException when malformed */
  public static InclusionProof fromJson(String json) throws IOException {
    return Json.mapper().readValue(json, InclusionProof.class);
  }
}
