// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.appraisal.AcceptedNonces.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AcceptedNoncesTest {
  private static final long NOW = 1_780_000_000L;

  @Test
  void add_eachSerialOncePerSecond_throughGrowth_includingZeroAndNegatives() {
    AcceptedNonces accepted = new AcceptedNonces(1_000_000);
    int[] serials = new int[50_000];
    for (int i = 0; i < serials.length; i++) {
      serials[i] = Integer.MAX_VALUE - 20_000 + i; // counts up through the wrap to negatives
    }
    for (int serial : serials) {
      assertThat(accepted.add(NOW + 120, serial, NOW)).isEqualTo(Outcome.ACCEPTED);
    }
    assertThat(accepted.add(NOW + 120, 0, NOW)).isEqualTo(Outcome.ACCEPTED);
    for (int serial : serials) {
      assertThat(accepted.add(NOW + 120, serial, NOW)).as("%d", serial).isEqualTo(Outcome.REUSED);
    }
    assertThat(accepted.add(NOW + 120, 0, NOW)).isEqualTo(Outcome.REUSED);
    // the same serial in another expiry second is another nonce
    assertThat(accepted.add(NOW + 121, serials[7], NOW)).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.size()).isEqualTo(serials.length + 2);
  }

  @Test
  void add_expiredNonce_isExpired_andNotRemembered() {
    AcceptedNonces accepted = new AcceptedNonces(10);
    assertThat(accepted.add(NOW - 1, 5, NOW)).isEqualTo(Outcome.EXPIRED);
    assertThat(accepted.size()).isZero();
    assertThat(accepted.add(NOW, 5, NOW)).isEqualTo(Outcome.ACCEPTED); // expires at the end of NOW
  }

  @Test
  void expiredSeconds_areForgottenWhole_andFreeTheirCapacity() {
    AcceptedNonces accepted = new AcceptedNonces(4);
    assertThat(accepted.add(NOW + 1, 1, NOW)).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.add(NOW + 1, 2, NOW)).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.add(NOW + 3, 3, NOW)).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.add(NOW + 3, 4, NOW)).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.add(NOW + 3, 5, NOW)).isEqualTo(Outcome.FULL);
    // NOW+1 is still unexpired at NOW+1: nothing freed
    assertThat(accepted.add(NOW + 3, 5, NOW + 1)).isEqualTo(Outcome.FULL);
    // at NOW+2 the second NOW+1 has expired: two places free, the others remembered
    assertThat(accepted.add(NOW + 3, 5, NOW + 2)).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.size()).isEqualTo(3);
    assertThat(accepted.add(NOW + 3, 3, NOW + 2)).isEqualTo(Outcome.REUSED);
    accepted.forgetExpired(NOW + 4);
    assertThat(accepted.size()).isZero();
  }

  @Test
  void concurrentAdds_acceptEachSerialExactlyOnce_whileSecondsExpire() throws Exception {
    AcceptedNonces accepted = new AcceptedNonces(10_000_000);
    int threads = 4;
    int perThread = 40_000;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(() -> {
          int won = 0;
          for (int i = 0; i < perThread; i++) {
            // every thread tries every serial; a tenth of the tries also move the clock on
            long now = NOW + (i % 10 == 0 ? i / 10_000 : 0);
            if (accepted.add(NOW + 10, i, Math.min(now, NOW + 10)) == Outcome.ACCEPTED) {
              won++;
            }
          }
          return won;
        });
      }
      int total = 0;
      for (Future<Integer> won : pool.invokeAll(tasks)) {
        total += won.get();
      }
      assertThat(total).isEqualTo(perThread);
      assertThat(accepted.size()).isEqualTo(perThread);
    }
  }
}
