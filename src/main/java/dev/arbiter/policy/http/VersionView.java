// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.policy.Version;
import java.time.Instant;

/** A version as the API shows it; {@code created} only in the answer to a registration. */
record VersionView(
    String workload,
    String version,
    @JsonProperty("content_hash") String contentHash,
    boolean revoked,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("created_by") String createdBy,
    JsonNode content,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean created) {

  static VersionView of(Version version, Boolean created) {
    return new VersionView(
        version.workload(),
        version.label(),
        version.contentHash(),
        version.revoked(),
        version.createdAt(),
        version.createdBy(),
        version.content(),
        created);
  }
}
