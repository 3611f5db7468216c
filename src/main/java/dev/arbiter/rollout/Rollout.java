// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One rollout of a workload from the versions accepted when it started ({@code fromVersions}) to
 * {@code toVersion}, with its thresholds and milestones.
 */
public record Rollout(
    long id,
    String workload,
    List<String> fromVersions,
    String toVersion,
    RolloutState state,
    Optional<String> objective,
    Optional<Instant> deadline,
    String onDeadline,
    double maxFailureRate,
    int minSamples,
    Duration failureWindow,
    double minFleetShare,
    Duration drain,
    Optional<String> webhookUrl,
    Optional<String> stagedRevision,
    Optional<Instant> stagedLiveAt,
    Optional<Instant> shareReachedAt,
    Optional<String> finalRevision,
    Optional<Instant> deadlineFiredAt,
    Instant createdAt,
    String createdBy,
    String reason,
    Instant updatedAt) {}
