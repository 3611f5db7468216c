// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.appraisal.Decision;
import dev.arbiter.schemes.BuiltInSchemes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Metric labels take only registered values: caller-chosen formats or slugs cannot grow /metrics.
 */
class MetricsTest {
  private final Metrics metrics = new Metrics(BuiltInSchemes.registry(), ProblemCatalog.all());

  private static Decision decision(
      String format, boolean verified, Decision.Verdict verdict, String problem) {
    List<Decision.Reason> reasons =
        verdict == Decision.Verdict.REFUSED
            ? List.of(new Decision.Reason(problem, "d"))
            : List.of();
    return new Decision(
        Instant.EPOCH,
        "w",
        "i-1",
        format,
        "00".repeat(32),
        null,
        "rev",
        verdict,
        reasons,
        verdict == Decision.Verdict.REFUSED ? null : "jti",
        verified,
        Duration.ofMillis(1));
  }

  @Test
  void accept_thousandBogusFormatsAndSlugs_addNoSeries() {
    metrics.accept(decision("sample", true, Decision.Verdict.AFFIRMING, null));
    metrics.accept(decision("bogus", true, Decision.Verdict.REFUSED, "no-such-problem"));
    metrics.accept(decision("bogus", false, Decision.Verdict.REFUSED, "nonce-invalid"));
    long before = metrics.scrape().lines().count();
    for (int i = 0; i < 1000; i++) {
      metrics.accept(decision("bogus-" + i, true, Decision.Verdict.REFUSED, "slug-" + i));
      metrics.accept(decision("bogus-" + i, false, Decision.Verdict.REFUSED, "nonce-invalid"));
    }
    String scrape = metrics.scrape();
    assertThat(scrape).doesNotContain("bogus").doesNotContain("slug-");
    assertThat(scrape.lines().count()).isEqualTo(before);
    assertThat(scrape)
        .contains("arbiter_attestations_total{format=\"other\",result=\"other\"} 1001.0")
        .contains("arbiter_attestations_total{format=\"sample\",result=\"affirming\"} 1.0")
        .contains("arbiter_attestations_unverified_total 1001.0");
  }

  @Test
  void labels_registeredValuesPassThrough() {
    assertThat(metrics.formatLabel("nvidia-gpu")).isEqualTo("nvidia-gpu");
    assertThat(metrics.formatLabel("NVIDIA-GPU")).isEqualTo("other");
    assertThat(metrics.problemLabel("no-matching-version")).isEqualTo("no-matching-version");
    assertThat(metrics.problemLabel(null)).isEqualTo("other");
  }
}
