// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One immutable, signed revision of a workload's Verifier policy. {@code body} is exactly the
 * hashed RFC 8785 content {@code {workload, seq, prev, accepted, appraisal, endorsements,
 * created_at, principal, reason}}; {@code accepted} lists {@code {version, content_hash}}.
 */
public record PolicyRevision(
    String workload,
    long seq,
    String hash,
    String prev,
    JsonNode body,
    String keyId,
    String signature) {

  /** Labels of the accepted versions. */
  public List<String> acceptedLabels() {
    List<String> out = new ArrayList<>();
    body.path("accepted").forEach(entry -> out.add(entry.path("version").asText()));
    return out;
  }

  public Optional<String> appraisal() {
    JsonNode node = body.get("appraisal");
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  public JsonNode endorsements() {
    return body.path("endorsements");
  }

  public String createdAt() {
    return body.path("created_at").asText();
  }
}
