// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import java.util.List;

/**
 * Receives every appraisal {@link Decision}, once, on the attesting request's thread, after the
 * decision is taken and before the response is sent. Implementations must not block or do I/O on
 * that thread (queue the decision instead, as {@link FleetFeed} does) and must not throw; a sink
 * that throws is a bug and fails the request with a 500.
 */
@FunctionalInterface
public interface DecisionSink {
  void accept(Decision decision);

  /** Discards decisions (tests, offline tools). */
  static DecisionSink none() {
    return decision -> { };
  }

  /** Forwards each decision to every sink, in order. */
  static DecisionSink all(List<DecisionSink> sinks) {
    List<DecisionSink> copy = List.copyOf(sinks);
    return decision -> copy.forEach(sink -> sink.accept(decision));
  }
}
