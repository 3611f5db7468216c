// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read models: rollout status (fleet by version, failures, deadline, replicas) and governance
 * evidence.
 */
public final class RolloutReports {
  private final Database database;
  private final Clock clock;
  private final Duration liveWindow;
  private final FleetSnapshots snapshots;

  public RolloutReports(Database database, Clock clock, Duration liveWindow) {
    this.database = database;
    this.clock = clock;
    this.liveWindow = liveWindow;
    this.snapshots = new FleetSnapshots(database, clock, liveWindow);
  }

  // ---- report shapes (the JSON of the rollout routes) ------------------------------------------

  /** A rollout as the API shows it; times are RFC 3339 strings, durations seconds. */
  public record RolloutView(
      long id,
      String workload,
      String state,
      List<String> from,
      String to,
      String objective,
      String deadline,
      @JsonProperty("deadline_left_s") Long deadlineLeftS,
      @JsonProperty("on_deadline") String onDeadline,
      @JsonProperty("max_failure_rate") double maxFailureRate,
      @JsonProperty("min_samples") int minSamples,
      @JsonProperty("failure_window_s") long failureWindowS,
      @JsonProperty("min_fleet_share") double minFleetShare,
      @JsonProperty("drain_s") long drainS,
      String webhook,
      @JsonProperty("staged_revision") String stagedRevision,
      @JsonProperty("staged_live_at") String stagedLiveAt,
      @JsonProperty("share_reached_at") String shareReachedAt,
      @JsonProperty("final_revision") String finalRevision,
      @JsonProperty("deadline_fired_at") String deadlineFiredAt,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("created_by") String createdBy,
      String reason,
      @JsonProperty("updated_at") String updatedAt) {

    public static RolloutView of(Rollout rollout, Instant now) {
      return new RolloutView(
          rollout.id(),
          rollout.workload(),
          rollout.state().name(),
          rollout.fromVersions(),
          rollout.toVersion(),
          rollout.objective().orElse(null),
          rollout.deadline().map(Instant::toString).orElse(null),
          rollout
              .deadline()
              .map(d -> Math.max(0, Duration.between(now, d).toSeconds()))
              .orElse(null),
          rollout.onDeadline(),
          rollout.maxFailureRate(),
          rollout.minSamples(),
          rollout.failureWindow().toSeconds(),
          rollout.minFleetShare(),
          rollout.drain().toSeconds(),
          rollout.webhookUrl().orElse(null),
          rollout.stagedRevision().orElse(null),
          rollout.stagedLiveAt().map(Instant::toString).orElse(null),
          rollout.shareReachedAt().map(Instant::toString).orElse(null),
          rollout.finalRevision().orElse(null),
          rollout.deadlineFiredAt().map(Instant::toString).orElse(null),
          rollout.createdAt().toString(),
          rollout.createdBy(),
          rollout.reason(),
          rollout.updatedAt().toString());
    }
  }

  /** A rollout with its events ({@code GET .../rollouts/{id}}). */
  public record RolloutDetail(@JsonUnwrapped RolloutView rollout, List<RolloutEvent> events) {}

  /** Live and failed instances of one version. */
  public record VersionCount(long live, long failed) {}

  /** The fleet figures of a status report, as of {@code as_of}. */
  public record Fleet(
      @JsonProperty("live_window_s") long liveWindowS,
      long total,
      Map<String, VersionCount> versions,
      @JsonProperty("as_of") String asOf) {}

  /** Attestations of one version within the rollout's failure window. */
  public record FailureWindow(
      @JsonProperty("window_s") long windowS, long total, long failed, double rate) {}

  /** One running replica and the revision it serves. */
  public record Replica(
      String id,
      @JsonProperty("seen_at") String seenAt,
      @JsonProperty("serving_seq") long servingSeq,
      @JsonProperty("serves_staged") boolean servesStaged) {}

  /** One deadline (rollout or supply-chain) and its state. */
  public record Obligation(
      long id,
      String version,
      String kind,
      @JsonProperty("class") String objectiveClass,
      @JsonProperty("due_at") String dueAt,
      String action,
      String state,
      Long rollout,
      JsonNode details) {}

  /**
   * {@code rollout status}: the latest rollout (null when none) with fleet figures; {@code
   * failures}, {@code share} and {@code replicas} only when there is a rollout.
   */
  public record Status(
      String workload,
      RolloutView rollout,
      Fleet fleet,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, FailureWindow> failures,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double share,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Replica> replicas,
      List<Obligation> obligations) {}

  /** A policy revision named in governance evidence. */
  public record RevisionEvidence(
      long seq,
      String hash,
      @JsonProperty("created_at") String createdAt,
      String principal,
      String reason,
      JsonNode accepted,
      @JsonProperty("key_id") String keyId,
      String signature) {}

  /** An attestation named in governance evidence. */
  public record Attestation(
      String at,
      @JsonProperty("instance_id") String instanceId,
      String status,
      @JsonProperty("policy_revision") String policyRevision) {}

  /**
   * Expectation 7: the policy changed, and was served everywhere, before the new version attested.
   */
  public record Expectation7(
      @JsonProperty("staged_revision") RevisionEvidence stagedRevision,
      @JsonProperty("staged_live_on_every_replica_at") String stagedLiveOnEveryReplicaAt,
      @JsonProperty("first_attestation_of_new_version") Attestation firstAttestationOfNewVersion,
      @JsonProperty("policy_updated_before_first_new_attestation")
          boolean policyUpdatedBeforeFirstNewAttestation,
      @JsonProperty("final_state") String finalState,
      @JsonProperty("final_revision") RevisionEvidence finalRevision,
      @JsonProperty("removed_versions") List<String> removedVersions) {}

  /**
   * Expectation 12: the first affirming result for the new measurements ({@code {}} when none yet).
   */
  public record Expectation12(
      @JsonProperty("first_affirming_result_for_new_measurements") JsonNode firstAffirmingResult) {}

  /** An audit record of the rollout. */
  public record AuditEntry(long seq, String hash, JsonNode body) {}

  /** Governance evidence for one rollout. */
  public record Evidence(
      String workload,
      RolloutView rollout,
      @JsonProperty("expectation_7") Expectation7 expectation7,
      @JsonProperty("expectation_12") Expectation12 expectation12,
      List<RolloutEvent> events,
      List<AuditEntry> audit,
      String verify) {}

  // ---- reports
  // -----------------------------------------------------------------------------------

  /**
   * The latest rollout of a workload (active or not) with fleet figures; rollout null when none.
   * The rollout, replicas and obligations are read fresh; the fleet figures may be up to a few
   * seconds old ({@code fleet.as_of}, see {@link FleetSnapshots}).
   */
  public Status status(String workload) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      Instant now = clock.instant();
      Optional<Rollout> rollout = RolloutStore.latest(tx, workload);
      FleetSnapshots.Snapshot snapshot = snapshots.get(tx, workload, rollout);
      FleetStats.Live live = snapshot.live();
      Map<String, VersionCount> versions = new LinkedHashMap<>();
      java.util.Set<String> labels = new java.util.TreeSet<>(live.ok().keySet());
      labels.addAll(live.failed().keySet());
      for (String label : labels) {
        versions.put(
            label.isEmpty() ? "(unmatched)" : label,
            new VersionCount(
                live.ok().getOrDefault(label, 0L), live.failed().getOrDefault(label, 0L)));
      }
      Fleet fleet =
          new Fleet(liveWindow.toSeconds(), live.total(), versions, snapshot.at().toString());
      Map<String, FailureWindow> failures = null;
      Double share = null;
      List<Replica> replicas = null;
      if (rollout.isPresent()) {
        Rollout r = rollout.get();
        failures = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : snapshot.failures().entrySet()) {
          long[] window = entry.getValue();
          failures.put(
              entry.getKey(),
              new FailureWindow(
                  r.failureWindow().toSeconds(),
                  window[0],
                  window[1],
                  window[0] == 0 ? 0.0 : window[1] / (double) window[0]));
        }
        share = live.share(r.toVersion());
        replicas = replicas(tx, workload, r, now);
      }
      return new Status(
          workload,
          rollout.map(r -> RolloutView.of(r, now)).orElse(null),
          fleet,
          failures,
          share,
          replicas,
          RolloutStore.obligations(tx, workload));
    });
  }

  private static List<Replica> replicas(Tx tx, String workload, Rollout rollout, Instant now) {
    Long stagedSeq =
        rollout
            .stagedRevision()
            .flatMap(hash -> PolicyService.revisionByHash(tx, hash))
            .map(PolicyRevision::seq)
            .orElse(null);
    return ReplicaStore.fresh(tx, now.minus(RolloutScheduler.REPLICA_FRESH)).stream()
        .map(heartbeat -> {
          long served = RolloutService.parse(heartbeat.revisions()).path(workload).asLong(-1);
          return new Replica(
              heartbeat.replicaId(),
              heartbeat.seenAt().toString(),
              served,
              stagedSeq != null && served >= stagedSeq);
        })
        .toList();
  }

  /**
   * True when every fresh replica serves the staged revision (what {@code wait --state STAGED}
   * waits for).
   */
  public boolean stagedEverywhere(String workload, long rolloutId) {
    return database.inTransaction(tx ->
        RolloutScheduler.stagedEverywhere(
            tx, RolloutService.get(tx, workload, rolloutId), clock.instant()));
  }

  /** Attestations of one version in one time bucket. */
  public record RateBucket(
      @JsonProperty("start") String start,
      @JsonProperty("total") long total,
      @JsonProperty("failed") long failed) {}

  /**
   * Attestation counts of {@code workload} over the last {@code span}, per version ("(unmatched)"
   * when no version matched) and {@code bucket}-long interval, oldest first; intervals without
   * attestations are left out. Read from the fleet tables, never on the appraisal path.
   */
  public Map<String, List<RateBucket>> attestationRates(
      String workload, Duration span, Duration bucket) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      Map<String, List<RateBucket>> out = new LinkedHashMap<>();
      FleetStore.rates(tx, workload, clock.instant().minus(span), bucket.toSeconds())
          .forEach((version, rows) ->
              out.put(
                  version.isEmpty() ? "(unmatched)" : version,
                  rows.stream()
                      .map(row ->
                          new RateBucket(Instant.ofEpochSecond(row[0]).toString(), row[1], row[2]))
                      .toList()));
      return out;
    });
  }

  public List<Obligation> obligations(String workload) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      return RolloutStore.obligations(tx, workload);
    });
  }

  /**
   * Governance evidence for one rollout. Expectation 7: the revision adding the new version was
   * committed and served by every replica before the first instance attested as that version; when
   * the old version was removed (or the new one on rollback). Expectation 12: the first affirming
   * result for the new measurements. Every revision hash can be checked against the signed chain.
   */
  public Evidence evidence(String workload, long id, List<RolloutEvent> events) {
    return database.inTransaction(tx -> {
      Rollout rollout = RolloutService.get(tx, workload, id);
      RevisionEvidence staged =
          rollout.stagedRevision().flatMap(hash -> revision(tx, hash)).orElse(null);
      Attestation firstNew =
          FleetStore.firstAffirming(tx, workload, rollout.toVersion(), rollout.createdAt())
              .orElse(null);
      boolean ordered =
          staged != null
              && firstNew != null
              && !Instant.parse(staged.createdAt()).isAfter(Instant.parse(firstNew.at()))
              && rollout
                  .stagedLiveAt()
                  .map(live -> !live.isAfter(Instant.parse(firstNew.at())))
                  .orElse(false);
      Expectation7 seven =
          new Expectation7(
              staged,
              rollout.stagedLiveAt().map(Instant::toString).orElse(null),
              firstNew,
              ordered,
              rollout.state().name(),
              rollout.finalRevision().flatMap(hash -> revision(tx, hash)).orElse(null),
              switch (rollout.state()) {
                case COMPLETED -> rollout.fromVersions();
                case ROLLED_BACK -> List.of(rollout.toVersion());
                default -> List.of();
              });
      JsonNode firstAffirming =
          firstNew == null ? Json.mapper().createObjectNode() : Json.mapper().valueToTree(firstNew);
      List<AuditEntry> audit =
          AuditLog.withDetail(tx, "rollout", Long.toString(id)).stream()
              .map(record -> new AuditEntry(record.seq(), record.hash(), record.body()))
              .toList();
      return new Evidence(
          workload,
          RolloutView.of(rollout, clock.instant()),
          seven,
          new Expectation12(firstAffirming),
          events,
          audit,
          "recompute each hash with GET /v1/audit/verify or 'arbiter audit verify'; public keys at"
              + " /.well-known/jwks.json");
    });
  }

  private static Optional<RevisionEvidence> revision(Tx tx, String hash) {
    return PolicyService.revisionByHash(tx, hash)
        .map(revision -> {
          JsonNode body = revision.body();
          return new RevisionEvidence(
              revision.seq(),
              revision.hash(),
              body.path("created_at").asText(),
              body.path("principal").asText(),
              body.path("reason").asText(),
              body.path("accepted"),
              revision.keyId(),
              revision.signature());
        });
  }
}
