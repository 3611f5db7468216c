// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Read-only fleet history for governance reports: how many distinct instances attested as each
 * version (affirming or warning) in consecutive time buckets. No writes.
 */
public final class FleetHistoryStore {
  private FleetHistoryStore() {}

  /** Distinct instances of {@code version} that attested in {@code [at, at + bucket)}. */
  public record Sample(
      @JsonProperty("at") String at,
      @JsonProperty("version") String version,
      @JsonProperty("instances") long instances) {}

  /**
   * Samples over {@code [from, to)} in {@code buckets} equal buckets, ordered by time then version
   * (buckets without attestations are left out).
   */
  public static List<Sample> samples(
      Tx tx, String workload, Instant from, Instant to, int buckets) {
    long span = Math.max(1, Duration.between(from, to).toMillis());
    long width = Math.max(1, (span + buckets - 1) / buckets);
    return tx.handle()
        .createQuery(
            "select floor(extract(epoch from (at - :f)) * 1000 / :wd)::bigint as b, version,"
                + " count(distinct instance_id) as n from attestation_event where workload = :w"
                + " and at >= :f and at < :t and version is not null and status in"
                + " ('affirming','warning') group by 1, 2 order by 1, 2")
        .bind("w", workload)
        .bind("f", from)
        .bind("t", to)
        .bind("wd", width)
        .map((rs, ctx) ->
            new Sample(
                from.plusMillis(rs.getLong("b") * width).toString(),
                rs.getString("version"),
                rs.getLong("n")))
        .list();
  }
}
