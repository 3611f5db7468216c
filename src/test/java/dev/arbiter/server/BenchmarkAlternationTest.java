// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.appraisal.Decision;
import dev.arbiter.appraisal.DecisionSink;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The benchmark-only alternation of the decision log (issue 11's on/off pair in one run) passes
 * decisions on in the even windows of the wall clock only, and is the log itself when off.
 */
class BenchmarkAlternationTest {

  @Test
  void alternating_passesDecisionsOnInEvenWindowsOnly() {
    AtomicInteger offered = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    DecisionSink log =
        new DecisionSink() {
          @Override
          public void accept(Decision decision) {
            accepted.incrementAndGet();
          }

          @Override
          public void offer(Decision decision) {
            offered.incrementAndGet();
          }
        };
    AtomicLong now = new AtomicLong();
    DecisionSink sink = ArbiterServer.alternating(log, Duration.ofSeconds(5), now::get);
    long[] times = {0, 4_999, 5_000, 9_999, 10_000, 14_999, 15_000};
    for (long t : times) {
      now.set(t);
      sink.offer(null);
      sink.accept(null);
    }
    // windows 0 and 2 (0-4,999 and 10,000-14,999 ms) are logged; windows 1 and 3 are not
    assertThat(offered).hasValue(4);
    assertThat(accepted).hasValue(4);
  }

  @Test
  void alternating_zeroWindow_isTheLogItself() {
    DecisionSink log = decision -> {};
    assertThat(ArbiterServer.alternating(log, Duration.ZERO, System::currentTimeMillis))
        .isSameAs(log);
    assertThat(LogSettings.defaults().benchmarkAlternation()).isZero();
  }
}
