// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.Names;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Rollouts under the Upgrade Governance pattern: {@code start} stages the new version into the
 * Verifier policy (revision accepts old and new) once its gates pass; the first affirming
 * attestation of the new version (or {@code deploying}) makes it ROLLING; {@code complete} removes
 * the old versions, {@code abort} removes the new one and restores the old. Every transition is one
 * transaction writing the rollout row, its event, the policy revision and the audit record (and a
 * webhook delivery), or nothing. Thread-safe.
 */
public final class RolloutService {
  private final Database database;
  private final PolicyService policies;
  private final AuditLog audit;
  private final Webhooks webhooks;
  private final VersionGate gate;
  private final Clock clock;

  public RolloutService(
      Database database,
      PolicyService policies,
      AuditLog audit,
      Webhooks webhooks,
      VersionGate gate,
      Clock clock) {
    this.database = database;
    this.policies = policies;
    this.audit = audit;
    this.webhooks = webhooks;
    this.gate = gate;
    this.clock = clock;
  }

  /** Parameters of {@code rollout start}. */
  public record StartRequest(
      String workload,
      String toVersion,
      Optional<String> deadline,
      Optional<String> objective,
      double maxFailureRate,
      int minSamples,
      Duration failureWindow,
      double minFleetShare,
      Duration drain,
      Optional<String> webhookUrl,
      String reason) {}

  /** The result of {@code start}: the rollout (STAGED, or REJECTED with the gate failures). */
  public record Started(Rollout rollout, List<String> gateFailures) {}

  public Started start(Principal who, StartRequest request) {
    Names.reason(request.reason());
    Names.version(request.toVersion());
    if (!(request.maxFailureRate() >= 0 && request.maxFailureRate() <= 1)
        || !(request.minFleetShare() > 0 && request.minFleetShare() <= 1)
        || request.minSamples() < 1
        || request.drain().isNegative()
        || request.failureWindow().isNegative()
        || request.failureWindow().isZero()) {
      throw invalid(
          "max-failure-rate must be in [0,1], min-fleet-share in (0,1], min-samples >= 1, durations"
              + " non-negative");
    }
    request.webhookUrl().ifPresent(webhooks::check);
    return database.inTransaction(tx -> {
      PolicyRevision head =
          PolicyService.lockAndCheckBase(tx, request.workload(), Optional.empty());
      if (RolloutStore.active(tx, request.workload()).isPresent()) {
        throw new ProblemException(
            RolloutProblem.ROLLOUT_ACTIVE, request.workload() + " already has an active rollout");
      }
      Version version =
          PolicyService.findVersion(tx, request.workload(), request.toVersion())
              .orElseThrow(() ->
                  new ProblemException(
                      PolicyProblem.VERSION_NOT_FOUND,
                      request.workload() + " has no version " + request.toVersion()));
      if (head.acceptedLabels().contains(version.label())) {
        throw invalid(version.label() + " is already accepted; nothing to roll out");
      }
      if (version.revoked()) {
        throw invalid(version.label() + " was revoked and cannot be rolled out");
      }
      Instant now = clock.instant();
      Deadline deadline = resolveDeadline(tx, request, now);
      long id =
          RolloutStore.insert(
              tx,
              request,
              head.acceptedLabels(),
              version.label(),
              deadline.at(),
              deadline.action(),
              now,
              who.label());
      event(
          tx,
          id,
          null,
          RolloutState.PLANNED,
          null,
          who,
          request.reason(),
          Map.of("from", head.acceptedLabels(), "to", version.label()));
      if (deadline.at().isPresent()) {
        RolloutStore.insertDeadlineObligation(
            tx,
            request.workload(),
            version.label(),
            request.objective(),
            deadline.at().get(),
            deadline.action(),
            id,
            Json.write(Map.of("old_versions", head.acceptedLabels())),
            now);
      }
      List<String> failures = gate.failures(tx, request.workload(), version.label());
      Rollout planned = get(tx, request.workload(), id);
      if (!failures.isEmpty()) {
        Rollout rejected =
            transition(
                tx,
                planned,
                RolloutState.REJECTED,
                who,
                "gates failed: " + String.join("; ", failures),
                Optional.empty(),
                Map.of("gate_failures", failures));
        return new Started(rejected, failures);
      }
      Rollout staged =
          transition(
              tx,
              planned,
              RolloutState.STAGED,
              who,
              request.reason(),
              Optional.of(content -> PolicyService.withAccepted(content, version, true)),
              Map.of());
      return new Started(staged, List.of());
    });
  }

  /**
   * STAGED to ROLLING: the pipeline says deployment started (or the first affirming attestation
   * did).
   */
  public Rollout deploying(Principal who, String workload, String reason) {
    Names.reason(reason);
    return database.inTransaction(tx -> {
      Rollout rollout = lockActive(tx, workload);
      if (rollout.state() != RolloutState.STAGED) {
        throw new ProblemException(
            RolloutProblem.INVALID_TRANSITION,
            "rollout " + rollout.id() + " is " + rollout.state() + ", not STAGED");
      }
      return transition(tx, rollout, RolloutState.ROLLING, who, reason, Optional.empty(), Map.of());
    });
  }

  /** COMPLETED: the old versions leave the Verifier policy. */
  public Rollout complete(Principal who, String workload, String reason) {
    Names.reason(reason);
    return database.inTransaction(tx -> complete(tx, lockActive(tx, workload), who, reason, false));
  }

  Rollout complete(Tx tx, Rollout rollout, Principal who, String reason, boolean revokeOld) {
    if (rollout.state() != RolloutState.STAGED && rollout.state() != RolloutState.ROLLING) {
      throw new ProblemException(
          RolloutProblem.INVALID_TRANSITION, "rollout " + rollout.id() + " is " + rollout.state());
    }
    List<Version> old = new ArrayList<>();
    for (String label : rollout.fromVersions()) {
      PolicyService.findVersion(tx, rollout.workload(), label).ifPresent(old::add);
    }
    if (revokeOld) {
      for (Version version : old) {
        PolicyService.setRevoked(
            tx, rollout.workload(), version.label(), true, reason, clock.instant());
      }
    }
    RolloutStore.resolveObligations(tx, rollout.id(), clock.instant());
    return transition(
        tx,
        rollout,
        RolloutState.COMPLETED,
        who,
        reason,
        Optional.of(content -> {
          ObjectNode next = content;
          for (Version version : old) {
            next = PolicyService.withAccepted(next, version, false);
          }
          return next;
        }),
        Map.of("removed", rollout.fromVersions(), "revoked", revokeOld));
  }

  /** ROLLED_BACK: the new version leaves the policy and the old ones are restored. */
  public Rollout abort(Principal who, String workload, String reason, boolean force) {
    Names.reason(reason);
    return database.inTransaction(tx -> abort(tx, lockActive(tx, workload), who, reason, force));
  }

  Rollout abort(Tx tx, Rollout rollout, Principal who, String reason, boolean force) {
    if (rollout.state() != RolloutState.STAGED
        && rollout.state() != RolloutState.ROLLING
        && rollout.state() != RolloutState.PLANNED) {
      throw new ProblemException(
          RolloutProblem.INVALID_TRANSITION, "rollout " + rollout.id() + " is " + rollout.state());
    }
    List<Version> restore = new ArrayList<>();
    List<String> revoked = new ArrayList<>();
    for (String label : rollout.fromVersions()) {
      Optional<Version> version = PolicyService.findVersion(tx, rollout.workload(), label);
      version.ifPresent(restore::add);
      if (version.isPresent() && version.get().revoked()) {
        revoked.add(label);
      }
    }
    if (!revoked.isEmpty() && !force) {
      throw new ProblemException(
          RolloutProblem.RESTORES_REVOKED_VERSION,
          "rolling back would restore "
              + String.join(", ", revoked)
              + ", revoked since; 'rollout abort --force' with a reason restores it");
    }
    for (String label : revoked) {
      PolicyService.setRevoked(tx, rollout.workload(), label, false, null, clock.instant());
    }
    Version target =
        PolicyService.findVersion(tx, rollout.workload(), rollout.toVersion()).orElseThrow();
    RolloutStore.resolveObligations(tx, rollout.id(), clock.instant());
    return transition(
        tx,
        rollout,
        RolloutState.ROLLED_BACK,
        who,
        reason,
        Optional.of(content -> {
          ObjectNode next = PolicyService.withAccepted(content, target, false);
          for (Version version : restore) {
            next = PolicyService.withAccepted(next, version, true);
          }
          return next;
        }),
        Map.of(
            "removed",
            rollout.toVersion(),
            "restored",
            rollout.fromVersions(),
            "forced_revoked",
            revoked));
  }

  /**
   * Moves a rollout to {@code to}: policy revision (when {@code change} is present), rollout row,
   * rollout event, audit record and webhook, all in the caller's transaction.
   */
  Rollout transition(
      Tx tx,
      Rollout rollout,
      RolloutState to,
      Principal who,
      String reason,
      Optional<UnaryOperator<ObjectNode>> change,
      Map<String, Object> details) {
    Instant now = clock.instant();
    Optional<PolicyRevision> revision =
        change.map(c ->
            policies.reviseInTransaction(tx, who, rollout.workload(), reason, Optional.empty(), c));
    String column = to == RolloutState.STAGED ? "staged_revision" : "final_revision";
    RolloutStore.setState(tx, rollout.id(), to, now, column, revision.map(PolicyRevision::hash));
    event(
        tx,
        rollout.id(),
        rollout.state(),
        to,
        revision.map(PolicyRevision::hash).orElse(null),
        who,
        reason,
        details);
    Map<String, Object> auditDetails = new LinkedHashMap<>(details);
    auditDetails.put("rollout", rollout.id());
    auditDetails.put("from_state", rollout.state().name());
    auditDetails.put("to_state", to.name());
    audit.append(
        tx,
        who,
        "rollout." + to.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        rollout.workload(),
        reason,
        revision.map(PolicyRevision::hash),
        auditDetails);
    if (rollout.webhookUrl().isPresent()) {
      webhooks.enqueue(
          tx,
          rollout.webhookUrl().get(),
          new WebhookEvent.StateChanged(
              rollout.workload(),
              rollout.id(),
              rollout.state().name(),
              to.name(),
              rollout.toVersion(),
              revision.map(PolicyRevision::hash).orElse(null),
              who.label(),
              reason,
              now.toString()));
    }
    return get(tx, rollout.workload(), rollout.id());
  }

  void event(
      Tx tx,
      long id,
      RolloutState from,
      RolloutState to,
      String revision,
      Principal who,
      String reason,
      Map<String, ?> details) {
    RolloutStore.insertEvent(
        tx, id, clock.instant(), from, to, revision, who.label(), reason, Json.write(details));
  }

  private record Deadline(Optional<Instant> at, String action) {}

  private Deadline resolveDeadline(Tx tx, StartRequest request, Instant now) {
    String action = "escalate";
    Optional<Instant> at = Optional.empty();
    if (request.objective().isPresent()) {
      var objectives = PolicyService.workload(tx, request.workload()).objectives();
      var objective = objectives.get(request.objective().get());
      if (objective == null) {
        throw invalid(
            "workload "
                + request.workload()
                + " has no control objective '"
                + request.objective().get()
                + "'");
      }
      at = Optional.of(now.plus(Duration.parse(objective.path("deadline").asText())));
      action = objective.path("on_deadline").asText("escalate");
    }
    if (request.deadline().isPresent()) {
      at = Optional.of(parseDeadline(request.deadline().get(), now));
    }
    if (at.isPresent() && !at.get().isAfter(now)) {
      throw invalid("the deadline must be in the future");
    }
    return new Deadline(at, action);
  }

  static Instant parseDeadline(String text, Instant now) {
    try {
      return text.startsWith("P") || text.startsWith("p")
          ? now.plus(Duration.parse(text.toUpperCase(java.util.Locale.ROOT)))
          : java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid("--deadline must be an ISO-8601 duration (PT72H) or an RFC 3339 time: " + text);
    }
  }

  // ---- reading ----------------------------------------------------------------------------

  public Optional<Rollout> active(String workload) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      return RolloutStore.active(tx, workload);
    });
  }

  /** Locks the workload, then its active rollout (the lock order of every transition). */
  Rollout lockActive(Tx tx, String workload) {
    PolicyService.lockAndCheckBase(tx, workload, Optional.empty());
    return RolloutStore.lockActive(tx, workload)
        .orElseThrow(() ->
            new ProblemException(
                RolloutProblem.NO_ACTIVE_ROLLOUT, workload + " has no active rollout"));
  }

  public Rollout get(String workload, long id) {
    return database.inTransaction(tx -> get(tx, workload, id));
  }

  static Rollout get(Tx tx, String workload, long id) {
    return RolloutStore.get(tx, workload, id)
        .orElseThrow(() ->
            new ProblemException(
                RolloutProblem.ROLLOUT_NOT_FOUND, workload + " has no rollout " + id));
  }

  public List<Rollout> list(String workload) {
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      return RolloutStore.list(tx, workload);
    });
  }

  public List<RolloutEvent> events(long rolloutId) {
    return database.inTransaction(tx -> RolloutStore.events(tx, rolloutId));
  }

  static com.fasterxml.jackson.databind.JsonNode parse(String text) {
    try {
      return Json.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(RolloutProblem.INVALID_ROLLOUT, detail);
  }

  Database database() {
    return database;
  }

  AuditLog audit() {
    return audit;
  }

  Clock clock() {
    return clock;
  }
}
