// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.util.List;

/**
 * A consistency proof as JSON: {@code {"old_size", "new_size", "hashes": [base64...]}}, hashes in
 * RFC 9162 2.1.4.1 order. Empty when the old size is 0 or equals the new size.
 */
public record ConsistencyProof(
    @JsonProperty(value = "old_size", required = true) long oldSize,
    @JsonProperty(value = "new_size", required = true) long newSize,
    @JsonProperty(value = "hashes", required = true) List<String> hashes) {
  public ConsistencyProof {
    hashes = List.copyOf(hashes);
  }

  static ConsistencyProof of(long oldSize, long newSize, List<byte[]> hashes) {
    return new ConsistencyProof(oldSize, newSize, hashes.stream().map(B64::encode).toList());
  }

  public String toJson() {
    return Json.write(this);
  }

  /** Parses the JSON form strictly (unknown members fail). @throws IOException when malformed */
  public static ConsistencyProof fromJson(String json) throws IOException {
    return Json.mapper().readValue(json, ConsistencyProof.class);
  }
}
