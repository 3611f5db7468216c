// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import dev.arbiter.tlog.LogMode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server runs its transparency log.
 *
 * @param origin the log's origin (checkpoint first line and key name); empty: {@code
 *     arbiter/<listen host>} ({@code arbiter/<host name>} when bound to a wildcard address). Keep
 *     it stable: the local checkpoint only verifies under the origin it was signed for
 * @param mode strict (503 when the log refuses a decision) or best-effort (count it as dropped)
 * @param queueCapacity entries the in-memory queue holds before appends are refused
 * @param checkpointInterval the minimum time between two checkpoints while records arrive
 * @param acceptStateReason when present, start even when the database's log is behind, forked from
 *     or unverifiable against the local checkpoint, and audit the override with this reason
 * @param recordDecisions true (always, in production): attestation decisions are leaves of the log.
 *     False only through {@link #withoutDecisionsForBenchmarks()}, which the attestation load
 *     harnesses use to measure what the log costs; {@code serve} has no option for it, only the JVM
 *     property {@code arbiter.bench.unloggedDecisions}, refused without {@code --dev}
 * @param benchmarkAlternation zero (always, in production); else decisions are logged only in every
 *     other window of this length (wall clock, from the epoch: windows with an even number are
 *     logged), so one benchmark run measures throughput with and without the log interleaved in the
 *     same process ({@link #alternatingForBenchmarks}; JVM property {@code
 *     arbiter.bench.alternateLogSeconds}, refused without {@code --dev})
 */
public record LogSettings(
    Optional<String> origin,
    LogMode mode,
    int queueCapacity,
    Duration checkpointInterval,
    Optional<String> acceptStateReason,
    boolean recordDecisions,
    Duration benchmarkAlternation) {
  public LogSettings {
    Objects.requireNonNull(benchmarkAlternation, "benchmarkAlternation");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(acceptStateReason, "acceptStateReason");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("log queue capacity must be positive");
    }
    if (acceptStateReason.isPresent() && acceptStateReason.get().isBlank()) {
      throw new IllegalArgumentException("accepting the log state needs a reason");
    }
  }

  /**
   * Derived origin, strict, 10,000 queued entries, a checkpoint at most every second, no override.
   */
  public static LogSettings defaults() {
    return new LogSettings(
        Optional.empty(),
        LogMode.STRICT,
        10_000,
        Duration.ofSeconds(1),
        Optional.empty(),
        true,
        Duration.ZERO);
  }

  public LogSettings withOrigin(Optional<String> value) {
    return new LogSettings(
        value,
        mode,
        queueCapacity,
        checkpointInterval,
        acceptStateReason,
        recordDecisions,
        benchmarkAlternation);
  }

  public LogSettings withMode(LogMode value) {
    return new LogSettings(
        origin,
        value,
        queueCapacity,
        checkpointInterval,
        acceptStateReason,
        recordDecisions,
        benchmarkAlternation);
  }

  public LogSettings withQueueCapacity(int value) {
    return new LogSettings(
        origin,
        mode,
        value,
        checkpointInterval,
        acceptStateReason,
        recordDecisions,
        benchmarkAlternation);
  }

  public LogSettings withCheckpointInterval(Duration value) {
    return new LogSettings(
        origin,
        mode,
        queueCapacity,
        value,
        acceptStateReason,
        recordDecisions,
        benchmarkAlternation);
  }

  public LogSettings withAcceptStateReason(Optional<String> value) {
    return new LogSettings(
        origin,
        mode,
        queueCapacity,
        checkpointInterval,
        value,
        recordDecisions,
        benchmarkAlternation);
  }

  /**
   * Benchmarks only: decisions are logged in every other {@code window} (see {@code
   * benchmarkAlternation}).
   */
  public LogSettings alternatingForBenchmarks(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the alternation window must be positive");
    }
    return new LogSettings(
        origin,
        mode,
        queueCapacity,
        checkpointInterval,
        acceptStateReason,
        recordDecisions,
        window);
  }

  /** Benchmarks only: decisions are not logged (see {@code recordDecisions}). */
  public LogSettings withoutDecisionsForBenchmarks() {
    return new LogSettings(
        origin,
        mode,
        queueCapacity,
        checkpointInterval,
        acceptStateReason,
        false,
        benchmarkAlternation);
  }
}
