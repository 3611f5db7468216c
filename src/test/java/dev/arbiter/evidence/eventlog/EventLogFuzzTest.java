// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceProblem;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and truncated logs never throw: each gives either claims with no problem or typed
 * problems with no claims.
 */
class EventLogFuzzTest {
  private static final EventLogBuilder LOG =
      EventLogBuilder.tpm()
          .secureBoot(7, true)
          .application(4, "shim")
          .application(4, "kernel")
          .grubCmdline(8, "/vmlinuz ro");

  private static void check(
      byte[] bytes, Profile profile, Map<String, Map<Integer, byte[]>> signed) {
    EventLogs.Outcome outcome = EventLogs.verify(bytes, profile, signed, "the quote");
    if (outcome.problems().isEmpty()) {
      assertThat(outcome.claims()).containsKey("event_log");
    } else {
      assertThat(outcome.claims()).isEmpty();
      assertThat(outcome.problems())
          .allSatisfy(problem ->
              assertThat(problem.type())
                  .isIn(
                      EvidenceProblem.EVIDENCE_MALFORMED,
                      EvidenceProblem.UNSUPPORTED_VERSION,
                      EvidenceProblem.EVENT_LOG_MISMATCH));
    }
  }

  @Test
  void mutatedBytes_neverThrow() {
    byte[] log = LOG.build();
    Random random = new Random(14);
    for (int i = 0; i < 3000; i++) {
      byte[] mutated = log.clone();
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        int at = random.nextInt(mutated.length);
        mutated[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : mutated[at] ^ 0x80);
      }
      check(mutated, i % 2 == 0 ? Profile.TPM : Profile.CCEL, LOG.signed());
    }
  }

  @Test
  void everyTruncation_isMalformedOrAShorterValidLog() {
    byte[] log = LOG.build();
    for (int length = 0; length < log.length; length++) {
      check(Arrays.copyOf(log, length), Profile.TPM, LOG.signed());
    }
  }

  @Test
  void randomBytes_neverThrow() {
    Random random = new Random(5);
    for (int i = 0; i < 1000; i++) {
      byte[] bytes = new byte[random.nextInt(512)];
      random.nextBytes(bytes);
      check(bytes, Profile.TPM, Map.of());
    }
  }
}
