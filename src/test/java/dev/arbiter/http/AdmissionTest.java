// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.problem.CommonProblem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private Admission rate(double perSecond, int burst) {
    return new Admission(
        Admission.Settings.unlimited().withRatePerClient(perSecond, burst), now::get);
  }

  @Test
  void rate_burstPasses_thenRateLimitedWithRetryAfter_untilATokenRefills() {
    Admission admission = rate(2, 3);
    for (int i = 0; i < 3; i++) {
      admission.checkRate("10.0.0.1");
    }
    assertThatThrownBy(() -> admission.checkRate("10.0.0.1"))
        .isInstanceOfSatisfying(
            Admission.Rejected.class,
            rejected -> {
              assertThat(rejected.problem().problem().type()).isEqualTo(CommonProblem.RATE_LIMITED);
              assertThat(rejected.problem().problem().type().status()).isEqualTo(429);
              assertThat(rejected.retryAfterSeconds()).isEqualTo(1);
            });
    assertThat(admission.limitedCount()).isEqualTo(1);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // one token at 2/s
    admission.checkRate("10.0.0.1");
    assertThatThrownBy(() -> admission.checkRate("10.0.0.1"))
        .isInstanceOf(Admission.Rejected.class);
  }

  @Test
  void rate_noisyClientDoesNotTakeTheOthersTokens() {
    Admission admission = rate(1, 2);
    admission.checkRate("noisy");
    admission.checkRate("noisy");
    assertThatThrownBy(() -> admission.checkRate("noisy")).isInstanceOf(Admission.Rejected.class);
    admission.checkRate("quiet");
    admission.checkRate("quiet");
    assertThat(admission.limitedCount()).isEqualTo(1);
  }

  @Test
  void rate_slowRate_retryAfterIsTheSecondsToTheNextToken() {
    Admission admission = rate(0.1, 1); // one per 10 s
    admission.checkRate("a");
    assertThatThrownBy(() -> admission.checkRate("a"))
        .isInstanceOfSatisfying(
            Admission.Rejected.class, r -> assertThat(r.retryAfterSeconds()).isEqualTo(10));
  }

  @Test
  void rate_zero_neverLimits() {
    Admission admission = rate(0, 0);
    for (int i = 0; i < 1000; i++) {
      admission.checkRate("a");
    }
    assertThat(admission.limitedCount()).isZero();
  }

  @Test
  void inflight_full_shedsWithOverloadedAfterTheBudget_andAdmitsWhenASlotFrees() {
    Admission admission =
        new Admission(
            Admission.Settings.unlimited().withMaxInflight(2).withQueueBudget(Duration.ZERO));
    Admission.Permit first = admission.enter();
    Admission.Permit second = admission.enter();
    assertThat(admission.inflight()).isEqualTo(2);
    assertThatThrownBy(admission::enter)
        .isInstanceOfSatisfying(
            Admission.Rejected.class,
            rejected -> {
              assertThat(rejected.problem().problem().type()).isEqualTo(CommonProblem.OVERLOADED);
              assertThat(rejected.problem().problem().type().status()).isEqualTo(503);
              assertThat(rejected.retryAfterSeconds()).isEqualTo(1);
            });
    assertThat(admission.shedCount()).isEqualTo(1);
    first.close();
    admission.enter().close();
    second.close();
    assertThat(admission.inflight()).isZero();
  }

  @Test
  void inflight_waitsWithinTheBudget_forASlotThatFrees() throws Exception {
    Admission admission =
        new Admission(
            Admission.Settings.unlimited()
                .withMaxInflight(1)
                .withQueueBudget(Duration.ofSeconds(5)));
    Admission.Permit held = admission.enter();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(() -> {
          try (Admission.Permit permit = admission.enter()) {
            return true;
          }
        });
    Thread.sleep(50);
    assertThat(waiter).isNotDone();
    held.close();
    assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(admission.shedCount()).isZero();
  }

  @Test
  void settings_negative_refused() {
    assertThatThrownBy(() -> new Admission.Settings(-1, Duration.ZERO, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
