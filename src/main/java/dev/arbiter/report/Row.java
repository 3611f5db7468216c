// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One expectation row: its status, a one-line summary, why it is not met (null otherwise) and the
 * evidence it rests on.
 */
public record Row(
    @JsonProperty("title") String title,
    @JsonProperty("expectation") String expectation,
    @JsonProperty("status") Status status,
    @JsonProperty("summary") String summary,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("reason") String reason,
    @JsonProperty("evidence") List<EvidenceItem> evidence) {
  public Row {
    evidence = List.copyOf(evidence);
  }
}
