// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.store.Tx;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the fleet tables ({@code fleet_instance}, {@code attestation_event}, written by {@code
 * appraisal.FleetRecorder}) that rollouts decide on. Never on the appraisal path.
 */
final class FleetStore {
  private FleetStore() {}

  /** Live instances (seen after {@code since}) per version; key "" for no matched version. */
  static FleetStats.Live live(Tx tx, String workload, Instant since) {
    Map<String, Long> ok = new LinkedHashMap<>();
    Map<String, Long> failed = new LinkedHashMap<>();
    long[] total = {0};
    tx.handle()
        .createQuery(
            "select coalesce(version, '') as version, status = 'failed' as failed, count(*) as n"
                + " from fleet_instance where workload = :w and last_seen > :since group by 1, 2"
                + " order by 1")
        .bind("w", workload)
        .bind("since", since)
        .map((rs, ctx) -> {
          (rs.getBoolean("failed") ? failed : ok).put(rs.getString("version"), rs.getLong("n"));
          total[0] += rs.getLong("n");
          return null;
        })
        .list();
    return new FleetStats.Live(ok, failed, total[0]);
  }

  /** Attestations of {@code version} after {@code since}: {total, failed}. */
  static long[] window(Tx tx, String workload, String version, Instant since) {
    return tx.handle()
        .createQuery(
            "select count(*) as total, count(*) filter (where status = 'failed') as failed from"
                + " attestation_event where workload = :w and version = :v and at > :since")
        .bind("w", workload)
        .bind("v", version)
        .bind("since", since)
        .map((rs, ctx) -> new long[] {rs.getLong("total"), rs.getLong("failed")})
        .one();
  }

  /**
   * True when an instance attested as {@code version} with an affirming or warning result at or
   * after {@code since}.
   */
  static boolean attestedSince(Tx tx, String workload, String version, Instant since) {
    return tx.handle()
        .createQuery(
            "select exists(select 1 from attestation_event where workload = :w and version = :v "
                + "and status in ('affirming','warning') and at >= :since)")
        .bind("w", workload)
        .bind("v", version)
        .bind("since", since)
        .mapTo(Boolean.class)
        .one();
  }

  /** The first affirming (or warning) attestation of {@code version} at or after {@code since}. */
  static Optional<RolloutReports.Attestation> firstAffirming(
      Tx tx, String workload, String version, Instant since) {
    return tx.handle()
        .createQuery(
            "select at, instance_id, status, policy_revision from attestation_event where workload"
                + " = :w and version = :v and status in ('affirming','warning') and at >= :since"
                + " order by at limit 1")
        .bind("w", workload)
        .bind("v", version)
        .bind("since", since)
        .map((rs, ctx) ->
            new RolloutReports.Attestation(
                rs.getTimestamp("at").toInstant().toString(),
                rs.getString("instance_id"),
                rs.getString("status"),
                rs.getString("policy_revision")))
        .findOne();
  }

  /**
   * Attestations after {@code since} per {@code bucketSeconds}-long bucket (aligned on the epoch)
   * and version (key "" for no matched version), oldest first: {@code [bucket start epoch second,
   * total, failed]} per version. Reads {@code attestation_event} by its (workload, at) index.
   */
  static Map<String, java.util.List<long[]>> rates(
      Tx tx, String workload, Instant since, long bucketSeconds) {
    Map<String, java.util.List<long[]>> out = new java.util.TreeMap<>();
    tx.handle()
        .createQuery(
            "select (floor(extract(epoch from at) / :b) * :b)::bigint as bucket, coalesce(version,"
                + " '') as version, count(*) as total, count(*) filter (where status = 'failed') as"
                + " failed from attestation_event where workload = :w and at > :since group by 1, 2"
                + " order by 1, 2")
        .bind("w", workload)
        .bind("since", since)
        .bind("b", bucketSeconds)
        .map((rs, ctx) -> {
          out.computeIfAbsent(rs.getString("version"), k -> new java.util.ArrayList<>())
              .add(new long[] {rs.getLong("bucket"), rs.getLong("total"), rs.getLong("failed")});
          return null;
        })
        .list();
    return out;
  }
}
