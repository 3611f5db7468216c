// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.problem.ProblemException;
import dev.arbiter.tlog.LogProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionSinkTest {
  private static Decision issued() {
    return new Decision(
        Instant.parse("2026-01-01T00:00:00Z"),
        "web",
        "i-1",
        "sample",
        "a".repeat(64),
        "1.0",
        "rev",
        Decision.Verdict.AFFIRMING,
        List.of(),
        "jti-1",
        true,
        Duration.ZERO);
  }

  @Test
  void all_offer_aVetoStopsLaterSinksAndPropagates() {
    List<String> seen = new ArrayList<>();
    DecisionSink veto =
        new DecisionSink() {
          @Override
          public void accept(Decision decision) {
            seen.add("veto.accept");
          }

          @Override
          public void offer(Decision decision) {
            throw new ProblemException(LogProblem.LOG_UNAVAILABLE, "full");
          }
        };
    DecisionSink later = decision -> seen.add("later");
    DecisionSink all = DecisionSink.all(List.of(veto, later));
    assertThatThrownBy(() -> all.offer(issued()))
        .isInstanceOf(ProblemException.class)
        .satisfies(e ->
            assertThat(((ProblemException) e).problem().type())
                .isEqualTo(LogProblem.LOG_UNAVAILABLE));
    assertThat(seen).isEmpty();
    all.accept(issued());
    assertThat(seen).containsExactly("veto.accept", "later");
  }

  @Test
  void offer_default_accepts() {
    List<Decision> seen = new ArrayList<>();
    DecisionSink sink = seen::add;
    sink.offer(issued());
    assertThat(seen).hasSize(1);
  }

  @Test
  void leaf_carriesTheEarJti_andRefusalsGetAFreshId() {
    assertThat(DecisionLog.leaf(issued()).jti()).isEqualTo("jti-1");
    Decision refused =
        new Decision(
            Instant.parse("2026-01-01T00:00:00Z"),
            "web",
            "i-1",
            "sample",
            "a".repeat(64),
            null,
            "rev",
            Decision.Verdict.REFUSED,
            List.of(new Decision.Reason("no-matching-version", "no")),
            null,
            true,
            Duration.ZERO);
    var leaf = DecisionLog.leaf(refused);
    assertThat(leaf.jti()).startsWith("refusal-");
    assertThat(leaf.verdict()).isEqualTo("refused");
    assertThat(leaf.reasons()).containsExactly("no-matching-version: no");
  }
}
