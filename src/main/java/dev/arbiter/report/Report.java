// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The governance report of one workload over {@code [from, to]}: one {@link Row} per expectation
 * (keys of {@link Expectation}), the timelines the charts draw, and the signed checkpoint every
 * inclusion proof in it is made against ({@code checkpoint}, null when the log has none yet).
 * {@code expectations} and {@code timelines} are a pure function of the records ({@link
 * Evaluator}), so a verifier holding the records recomputes them.
 */
public record Report(
    @JsonProperty("workload") String workload,
    @JsonProperty("from") String from,
    @JsonProperty("to") String to,
    @JsonProperty("generated_at") String generatedAt,
    @JsonProperty("checkpoint") String checkpoint,
    @JsonProperty("expectations") Map<String, Row> expectations,
    @JsonProperty("timelines") Timelines timelines) {}
