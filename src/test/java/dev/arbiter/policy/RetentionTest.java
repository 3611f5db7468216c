// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionTest {
  @ParameterizedTest
  @CsvSource({
    "forever, forever",
    "FOREVER, forever",
    "90d, P90D",
    "36h, PT36H",
    "24h, P1D",
    "P90D, P90D",
    "pt48h, P2D",
    "P1DT12H, PT36H"
  })
  void parse_acceptsShortAndIsoForms_writesIso(String text, String wire) {
    assertThat(Retention.parse(text).wire()).isEqualTo(wire);
    assertThat(Retention.parse(wire).wire()).isEqualTo(wire);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "5h", "PT23H59M", "P0D", "-P2D", "90", "90w", "soon", "1000000d"})
  void parse_refusesBelowADayAndNonsense(String text) {
    assertThatThrownBy(() -> Retention.parse(text))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(PolicyProblem.RETENTION_INVALID));
  }

  @Test
  void cutoff_isNowMinusThePeriod_foreverHasNone() {
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    assertThat(Retention.parse("90d").cutoff(now)).contains(now.minus(Duration.ofDays(90)));
    assertThat(Retention.forever().cutoff(now)).isEmpty();
    assertThat(Retention.forever().isForever()).isTrue();
  }
}
