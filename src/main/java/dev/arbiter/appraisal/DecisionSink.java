// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.problem.ProblemException;
import java.util.List;

/**
 * Receives every appraisal {@link Decision}, once, on the attesting request's thread, after the
 * decision is taken and before the response is sent. Implementations must not block or do I/O on
 * that thread (queue the decision instead, as {@link FleetFeed} does) and must not throw; a sink
 * that throws is a bug and fails the request with a 500.
 *
 * <p>The appraiser calls {@link #offer}, which may <em>veto</em> the result: a sink that must hold
 * a record of the decision before its result leaves (the transparency log in strict mode, {@link
 * DecisionLog}) throws a {@link ProblemException} from {@code offer}, and the request then answers
 * that problem instead of the EAR or refusal. Other sinks only implement {@link #accept}.
 */
@FunctionalInterface
public interface DecisionSink {
  void accept(Decision decision);

  /**
   * Offers a decision before its outcome is returned. The default accepts it.
   *
   * @throws ProblemException only to veto the outcome (the caller answers the problem instead)
   */
  default void offer(Decision decision) {
    accept(decision);
  }

  /** Discards decisions (tests, offline tools). */
  static DecisionSink none() {
    return decision -> {};
  }

  /**
   * Forwards each decision to every sink, in order. {@link #offer} offers it to each in order, so a
   * sink that vetoes stops it before the later sinks see it: put vetoing sinks first.
   */
  static DecisionSink all(List<DecisionSink> sinks) {
    List<DecisionSink> copy = List.copyOf(sinks);
    return new DecisionSink() {
      @Override
      public void accept(Decision decision) {
        copy.forEach(sink -> sink.accept(decision));
      }

      @Override
      public void offer(Decision decision) {
        copy.forEach(sink -> sink.offer(decision));
      }
    };
  }
}
