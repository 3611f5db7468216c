// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.crypto.TimeOrderedIds;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogMode;
import dev.arbiter.tlog.LogProblem;
import dev.arbiter.tlog.TransparencyLog;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decision sink that appends each decision to the transparency log as a {@link
 * LogEntry.Kind#DECISION} leaf, in memory ({@link TransparencyLog#append} queues; no SQL on the
 * attesting thread). Put it first in {@link DecisionSink#all}.
 *
 * <p>Logged: every issued EAR (the leaf's {@code jti} is the EAR's) and every refusal whose
 * evidence verified (its {@code jti} is a fresh {@code refusal-<uuid>}). Attempts refused before
 * their evidence verified (bad nonce, format or evidence) are not logged: anyone can send them, and
 * they would fill the log; the metrics count them.
 *
 * <p>When the log refuses the entry (queue full, closing): in {@link LogMode#STRICT} {@link #offer}
 * throws {@link LogProblem#LOG_UNAVAILABLE} (503 with Retry-After) so no result leaves unlogged; in
 * {@link LogMode#BEST_EFFORT} the decision is counted in {@link #dropped()} and the result leaves.
 * Never drops silently. Thread-safe.
 */
public final class DecisionLog implements DecisionSink {
  static final String REFUSAL_PREFIX = "refusal-";

  private final TransparencyLog log;
  private final LogMode mode;
  private final AtomicLong dropped = new AtomicLong();

  public DecisionLog(TransparencyLog log, LogMode mode) {
    this.log = Objects.requireNonNull(log, "log");
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  public LogMode mode() {
    return mode;
  }

  /** Decisions the log refused and best-effort mode let through unlogged. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void offer(Decision decision) {
    if (!decision.evidenceVerified()) {
      return;
    }
    TransparencyLog.AppendResult result = log.append(LogEntry.decision(leaf(decision)));
    if (result.accepted()) {
      return;
    }
    if (mode == LogMode.STRICT) {
      throw new ProblemException(
          LogProblem.LOG_UNAVAILABLE,
          result == TransparencyLog.AppendResult.REFUSED_QUEUE_FULL
              ? "the transparency log's queue is full; no result is issued unlogged"
              : "the transparency log is closing; no result is issued unlogged");
    }
    dropped.incrementAndGet();
  }

  /** Like {@link #offer} but never throws (a vetoed decision counts as dropped). */
  @Override
  public void accept(Decision decision) {
    try {
      offer(decision);
    } catch (ProblemException e) {
      dropped.incrementAndGet();
    }
  }

  /** The leaf body of a decision. */
  static dev.arbiter.tlog.Decision leaf(Decision decision) {
    String jti =
        decision.earId() != null
            ? decision.earId()
            : REFUSAL_PREFIX + TimeOrderedIds.next(decision.at());
    return new dev.arbiter.tlog.Decision(
        decision.at(),
        decision.workload(),
        decision.instanceId(),
        decision.format(),
        decision.evidenceSha256(),
        decision.version(),
        decision.policyRevision(),
        decision.verdict().label(),
        decision.reasons().stream().map(r -> r.problem() + ": " + r.detail()).toList(),
        jti);
  }
}
