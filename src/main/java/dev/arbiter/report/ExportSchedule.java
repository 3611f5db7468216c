// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A periodic evidence export of a workload, as the API shows it. */
public record ExportSchedule(
    @JsonProperty("workload") String workload,
    @JsonProperty("every_s") long everyS,
    @JsonProperty("directory") String directory,
    @JsonProperty("next_run_at") String nextRunAt,
    @JsonProperty("last_run_at") String lastRunAt,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("created_by") String createdBy) {}
