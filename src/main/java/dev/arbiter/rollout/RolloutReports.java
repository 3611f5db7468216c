// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import dev.arbiter.policy.PolicyService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Read models: rollout status (fleet by version, failures, deadline, replicas) and governance evidence. */
public final class RolloutReports {
  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration liveWindow;
  private final FleetSnapshots snapshots;

  public RolloutReports(Jdbi jdbi, Clock clock, Duration liveWindow) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.liveWindow = liveWindow;
    this.snapshots = new FleetSnapshots(jdbi, clock, liveWindow);
  }

  public static Map<String, Object> rolloutJson(Rollout rollout, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", rollout.id());
    out.put("workload", rollout.workload());
    out.put("state", rollout.state().name());
    out.put("from", rollout.fromVersions());
    out.put("to", rollout.toVersion());
    out.put("objective", rollout.objective().orElse(null));
    out.put("deadline", rollout.deadline().map(Instant::toString).orElse(null));
    out.put("deadline_left_s", rollout.deadline().map(d -> Math.max(0, Duration.between(now, d).toSeconds())).orElse(null));
    out.put("on_deadline", rollout.onDeadline());
    out.put("max_failure_rate", rollout.maxFailureRate());
    out.put("min_samples", rollout.minSamples());
    out.put("failure_window_s", rollout.failureWindow().toSeconds());
    out.put("min_fleet_share", rollout.minFleetShare());
    out.put("drain_s", rollout.drain().toSeconds());
    out.put("webhook", rollout.webhookUrl().orElse(null));
    out.put("staged_revision", rollout.stagedRevision().orElse(null));
    out.put("staged_live_at", rollout.stagedLiveAt().map(Instant::toString).orElse(null));
    out.put("share_reached_at", rollout.shareReachedAt().map(Instant::toString).orElse(null));
    out.put("final_revision", rollout.finalRevision().orElse(null));
    out.put("deadline_fired_at", rollout.deadlineFiredAt().map(Instant::toString).orElse(null));
    out.put("created_at", rollout.createdAt().toString());
    out.put("created_by", rollout.createdBy());
    out.put("reason", rollout.reason());
    out.put("updated_at", rollout.updatedAt().toString());
    return out;
  }

  /**
   * The latest rollout of a workload (active or not) with fleet figures; rollout null when none. The
   * rollout, replicas and obligations are read fresh; the fleet figures may be up to a few seconds
   * old ({@code fleet.as_of}, see {@link FleetSnapshots}).
   */
  public Map<String, Object> status(String workload) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(handle, workload);
      Instant now = clock.instant();
      Optional<Rollout> rollout = handle.createQuery("select * from rollout where workload = :w order by id desc limit 1")
          .bind("w", workload).map(RolloutService::map).findOne();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("workload", workload);
      out.put("rollout", rollout.map(r -> rolloutJson(r, now)).orElse(null));
      FleetSnapshots.Snapshot snapshot = snapshots.get(handle, workload, rollout);
      FleetStats.Live live = snapshot.live();
      Map<String, Object> versions = new LinkedHashMap<>();
      java.util.Set<String> labels = new java.util.TreeSet<>(live.ok().keySet());
      labels.addAll(live.failed().keySet());
      for (String label : labels) {
        versions.put(label.isEmpty() ? "(unmatched)" : label, Map.of("live", live.ok().getOrDefault(label, 0L), "failed", live.failed().getOrDefault(label, 0L)));
      }
      out.put("fleet", Map.of("live_window_s", liveWindow.toSeconds(), "total", live.total(), "versions", versions,
          "as_of", snapshot.at().toString()));
      if (rollout.isPresent()) {
        Rollout r = rollout.get();
        Map<String, Object> failures = new LinkedHashMap<>();
        snapshot.failures().forEach((version, window) -> failures.put(version, Map.of("window_s", r.failureWindow().toSeconds(),
            "total", window[0], "failed", window[1], "rate", window[0] == 0 ? 0.0 : window[1] / (double) window[0])));
        out.put("failures", failures);
        out.put("share", live.share(r.toVersion()));
        out.put("replicas", replicas(handle, workload, r, now));
      }
      out.put("obligations", obligations(handle, workload));
      return out;
    });
  }

  private static List<Map<String, Object>> replicas(Handle handle, String workload, Rollout rollout, Instant now) {
    Long stagedSeq = rollout.stagedRevision().flatMap(hash -> handle.createQuery("select seq from policy_revision where hash = :h")
        .bind("h", hash).mapTo(Long.class).findOne()).orElse(null);
    return handle.createQuery("select replica_id, seen_at, revisions from replica_heartbeat where seen_at > :since order by replica_id")
        .bind("since", now.minus(RolloutScheduler.REPLICA_FRESH))
        .map((rs, ctx) -> {
          long served = RolloutService.parse(rs.getString("revisions")).path(workload).asLong(-1);
          Map<String, Object> replica = new LinkedHashMap<>();
          replica.put("id", rs.getString("replica_id"));
          replica.put("seen_at", rs.getTimestamp("seen_at").toInstant().toString());
          replica.put("serving_seq", served);
          replica.put("serves_staged", stagedSeq != null && served >= stagedSeq);
          return replica;
        }).list();
  }

  /** True when every fresh replica serves the staged revision (what {@code wait --state STAGED} waits for). */
  public boolean stagedEverywhere(String workload, long rolloutId) {
    return jdbi.withHandle(handle -> RolloutScheduler.stagedEverywhere(handle, RolloutService.get(handle, workload, rolloutId),
        clock.instant()));
  }

  public List<Map<String, Object>> obligations(String workload) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(handle, workload);
      return obligations(handle, workload);
    });
  }

  static List<Map<String, Object>> obligations(Handle handle, String workload) {
    return handle.createQuery("select * from obligation where workload = :w order by id desc limit 100").bind("w", workload)
        .map((rs, ctx) -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("id", rs.getLong("id"));
          out.put("version", rs.getString("version"));
          out.put("kind", rs.getString("kind"));
          out.put("class", rs.getString("class"));
          out.put("due_at", rs.getTimestamp("due_at").toInstant().toString());
          out.put("action", rs.getString("action"));
          out.put("state", rs.getString("state"));
          out.put("rollout", rs.getObject("rollout_id"));
          out.put("details", RolloutService.parse(rs.getString("details")));
          return out;
        }).list();
  }

  /**
   * Governance evidence for one rollout. Expectation 7: the revision adding the new version was
   * committed and served by every replica before the first instance attested as that version; when
   * the old version was removed (or the new one on rollback). Expectation 12: the first affirming
   * result for the new measurements. Every revision hash can be checked against the signed chain.
   */
  public Map<String, Object> evidence(String workload, long id, List<Map<String, Object>> events) {
    return jdbi.withHandle(handle -> {
      Rollout rollout = RolloutService.get(handle, workload, id);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("workload", workload);
      out.put("rollout", rolloutJson(rollout, clock.instant()));
      Map<String, Object> staged = rollout.stagedRevision().map(hash -> revision(handle, hash)).orElse(null);
      Map<String, Object> firstNew = handle.createQuery("select at, instance_id, status, policy_revision from attestation_event "
              + "where workload = :w and version = :v and status in ('affirming','warning') and at >= :since order by at limit 1")
          .bind("w", workload).bind("v", rollout.toVersion()).bind("since", rollout.createdAt())
          .map((rs, ctx) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("at", rs.getTimestamp("at").toInstant().toString());
            row.put("instance_id", rs.getString("instance_id"));
            row.put("status", rs.getString("status"));
            row.put("policy_revision", rs.getString("policy_revision"));
            return row;
          }).findOne().orElse(null);
      Map<String, Object> seven = new LinkedHashMap<>();
      seven.put("staged_revision", staged);
      seven.put("staged_live_on_every_replica_at", rollout.stagedLiveAt().map(Instant::toString).orElse(null));
      seven.put("first_attestation_of_new_version", firstNew);
      boolean ordered = staged != null && firstNew != null
          && !Instant.parse((String) staged.get("created_at")).isAfter(Instant.parse((String) firstNew.get("at")))
          && rollout.stagedLiveAt().map(live -> !live.isAfter(Instant.parse((String) firstNew.get("at")))).orElse(false);
      seven.put("policy_updated_before_first_new_attestation", ordered);
      seven.put("final_state", rollout.state().name());
      seven.put("final_revision", rollout.finalRevision().map(hash -> revision(handle, hash)).orElse(null));
      seven.put("removed_versions", switch (rollout.state()) {
        case COMPLETED -> rollout.fromVersions();
        case ROLLED_BACK -> List.of(rollout.toVersion());
        default -> List.of();
      });
      out.put("expectation_7", seven);
      out.put("expectation_12", Map.of("first_affirming_result_for_new_measurements", firstNew == null ? Map.of() : firstNew));
      out.put("events", events);
      out.put("audit", handle.createQuery("select seq, hash, body from audit_record where body::jsonb -> 'details' ->> 'rollout' = :id order by seq")
          .bind("id", Long.toString(id)).map((rs, ctx) -> Map.of("seq", rs.getLong("seq"), "hash", rs.getString("hash"),
              "body", RolloutService.parse(rs.getString("body")))).list());
      out.put("verify", "recompute each hash with GET /v1/audit/verify or 'arbiter audit verify'; public keys at /.well-known/jwks.json");
      return out;
    });
  }

  private static Map<String, Object> revision(Handle handle, String hash) {
    return handle.createQuery("select workload, seq, hash, body, signature, key_id from policy_revision where hash = :h").bind("h", hash)
        .map((rs, ctx) -> {
          var body = RolloutService.parse(rs.getString("body"));
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("seq", rs.getLong("seq"));
          out.put("hash", rs.getString("hash"));
          out.put("created_at", body.path("created_at").asText());
          out.put("principal", body.path("principal").asText());
          out.put("reason", body.path("reason").asText());
          out.put("accepted", body.path("accepted"));
          out.put("key_id", rs.getString("key_id"));
          out.put("signature", rs.getString("signature"));
          return out;
        }).findOne().orElse(null);
  }
}
