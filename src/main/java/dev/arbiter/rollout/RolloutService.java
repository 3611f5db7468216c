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
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Rollouts under the Upgrade Governance pattern: {@code start} stages the new version into the
 * Verifier policy (revision accepts old and new) once its gates pass; the first affirming
 * attestation of the new version (or {@code deploying}) makes it ROLLING; {@code complete} removes
 * the old versions, {@code abort} removes the new one and restores the old. Every transition is one
 * transaction writing the rollout row, its event, the policy revision and the audit record (and a
 * webhook delivery), or nothing. Thread-safe.
 */
public final class RolloutService {
  private final Jdbi jdbi;
  private final PolicyService policies;
  private final AuditLog audit;
  private final Webhooks webhooks;
  private final VersionGate gate;
  private final Clock clock;

  public RolloutService(Jdbi jdbi, PolicyService policies, AuditLog audit, Webhooks webhooks, VersionGate gate, Clock clock) {
    this.jdbi = jdbi;
    this.policies = policies;
    this.audit = audit;
    this.webhooks = webhooks;
    this.gate = gate;
    this.clock = clock;
  }

  /** Parameters of {@code rollout start}. */
  public record StartRequest(
      String workload, String toVersion, Optional<String> deadline, Optional<String> objective, double maxFailureRate, int minSamples,
      Duration failureWindow, double minFleetShare, Duration drain, Optional<String> webhookUrl, String reason) {}

  /** The result of {@code start}: the rollout (STAGED, or REJECTED with the gate failures). */
  public record Started(Rollout rollout, List<String> gateFailures) {}

  public Started start(Principal who, StartRequest request) {
    Names.reason(request.reason());
    Names.version(request.toVersion());
    if (!(request.maxFailureRate() >= 0 && request.maxFailureRate() <= 1) || !(request.minFleetShare() > 0 && request.minFleetShare() <= 1)
        || request.minSamples() < 1 || request.drain().isNegative() || request.failureWindow().isNegative() || request.failureWindow().isZero()) {
      throw invalid("max-failure-rate must be in [0,1], min-fleet-share in (0,1], min-samples >= 1, durations non-negative");
    }
    request.webhookUrl().ifPresent(RolloutService::checkUrl);
    return inTransaction(handle -> {
      PolicyRevision head = PolicyService.lockAndCheckBase(handle, request.workload(), Optional.empty());
      if (active(handle, request.workload()).isPresent()) {
        throw new ProblemException(RolloutProblem.ROLLOUT_ACTIVE, request.workload() + " already has an active rollout");
      }
      Version version = PolicyService.findVersion(handle, request.workload(), request.toVersion())
          .orElseThrow(() -> new ProblemException(PolicyProblem.VERSION_NOT_FOUND, request.workload() + " has no version " + request.toVersion()));
      if (head.acceptedLabels().contains(version.label())) {
        throw invalid(version.label() + " is already accepted; nothing to roll out");
      }
      if (version.revoked()) {
        throw invalid(version.label() + " was revoked and cannot be rolled out");
      }
      Instant now = clock.instant();
      Deadline deadline = resolveDeadline(handle, request, now);
      long id = handle.createUpdate("insert into rollout(workload, from_versions, to_version, state, objective, deadline, on_deadline, "
              + "max_failure_rate, min_samples, failure_window_s, min_fleet_share, drain_s, webhook_url, created_at, created_by, reason, updated_at) "
              + "values (:w, :from, :to, 'PLANNED', :objective, :deadline, :on, :rate, :samples, :window, :share, :drain, :hook, :now, :by, :reason, :now)")
          .bind("w", request.workload()).bind("from", Json.write(head.acceptedLabels())).bind("to", version.label())
          .bind("objective", request.objective().orElse(null)).bind("deadline", deadline.at().orElse(null)).bind("on", deadline.action())
          .bind("rate", request.maxFailureRate()).bind("samples", request.minSamples()).bind("window", request.failureWindow().toSeconds())
          .bind("share", request.minFleetShare()).bind("drain", request.drain().toSeconds()).bind("hook", request.webhookUrl().orElse(null))
          .bind("now", now).bind("by", who.label()).bind("reason", request.reason())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      event(handle, id, null, RolloutState.PLANNED, null, who, request.reason(), Map.of("from", head.acceptedLabels(), "to", version.label()));
      if (deadline.at().isPresent()) {
        handle.createUpdate("insert into obligation(workload, version, kind, class, due_at, action, state, rollout_id, details, created_at) "
                + "values (:w, :v, 'rollout-deadline', :class, :due, :action, 'open', :id, :details, :now)")
            .bind("w", request.workload()).bind("v", version.label()).bind("class", request.objective().orElse(null))
            .bind("due", deadline.at().get()).bind("action", deadline.action()).bind("id", id)
            .bind("details", Json.write(Map.of("old_versions", head.acceptedLabels()))).bind("now", now).execute();
      }
      List<String> failures = gate.failures(dev.arbiter.store.Tx.of(handle), request.workload(), version.label());
      Rollout planned = get(handle, request.workload(), id);
      if (!failures.isEmpty()) {
        Rollout rejected = transition(handle, planned, RolloutState.REJECTED, who, "gates failed: " + String.join("; ", failures),
            Optional.empty(), Map.of("gate_failures", failures));
        return new Started(rejected, failures);
      }
      Rollout staged = transition(handle, planned, RolloutState.STAGED, who, request.reason(),
          Optional.of(content -> PolicyService.withAccepted(content, version, true)), Map.of());
      return new Started(staged, List.of());
    });
  }

  /** STAGED to ROLLING: the pipeline says deployment started (or the first affirming attestation did). */
  public Rollout deploying(Principal who, String workload, String reason) {
    Names.reason(reason);
    return inTransaction(handle -> {
      Rollout rollout = lockActive(handle, workload);
      if (rollout.state() != RolloutState.STAGED) {
        throw new ProblemException(RolloutProblem.INVALID_TRANSITION, "rollout " + rollout.id() + " is " + rollout.state() + ", not STAGED");
      }
      return transition(handle, rollout, RolloutState.ROLLING, who, reason, Optional.empty(), Map.of());
    });
  }

  /** COMPLETED: the old versions leave the Verifier policy. */
  public Rollout complete(Principal who, String workload, String reason) {
    Names.reason(reason);
    return inTransaction(handle -> complete(handle, lockActive(handle, workload), who, reason, false));
  }

  Rollout complete(Handle handle, Rollout rollout, Principal who, String reason, boolean revokeOld) {
    if (rollout.state() != RolloutState.STAGED && rollout.state() != RolloutState.ROLLING) {
      throw new ProblemException(RolloutProblem.INVALID_TRANSITION, "rollout " + rollout.id() + " is " + rollout.state());
    }
    List<Version> old = new ArrayList<>();
    for (String label : rollout.fromVersions()) {
      PolicyService.findVersion(handle, rollout.workload(), label).ifPresent(old::add);
    }
    if (revokeOld) {
      for (Version version : old) {
        handle.execute("update version_status set revoked = true, revoked_at = ?, revoked_reason = ? where workload = ? and label = ?",
            clock.instant(), reason, rollout.workload(), version.label());
      }
    }
    handle.execute("update obligation set state = case when state = 'open' then 'met' else state end, resolved_at = ? "
        + "where rollout_id = ? and resolved_at is null", clock.instant(), rollout.id());
    return transition(handle, rollout, RolloutState.COMPLETED, who, reason, Optional.of(content -> {
      ObjectNode next = content;
      for (Version version : old) {
        next = PolicyService.withAccepted(next, version, false);
      }
      return next;
    }), Map.of("removed", rollout.fromVersions(), "revoked", revokeOld));
  }

  /** ROLLED_BACK: the new version leaves the policy and the old ones are restored. */
  public Rollout abort(Principal who, String workload, String reason, boolean force) {
    Names.reason(reason);
    return inTransaction(handle -> abort(handle, lockActive(handle, workload), who, reason, force));
  }

  Rollout abort(Handle handle, Rollout rollout, Principal who, String reason, boolean force) {
    if (rollout.state() != RolloutState.STAGED && rollout.state() != RolloutState.ROLLING && rollout.state() != RolloutState.PLANNED) {
      throw new ProblemException(RolloutProblem.INVALID_TRANSITION, "rollout " + rollout.id() + " is " + rollout.state());
    }
    List<Version> restore = new ArrayList<>();
    List<String> revoked = new ArrayList<>();
    for (String label : rollout.fromVersions()) {
      Optional<Version> version = PolicyService.findVersion(handle, rollout.workload(), label);
      version.ifPresent(restore::add);
      if (version.isPresent() && version.get().revoked()) {
        revoked.add(label);
      }
    }
    if (!revoked.isEmpty() && !force) {
      throw new ProblemException(RolloutProblem.RESTORES_REVOKED_VERSION,
          "rolling back would restore " + String.join(", ", revoked) + ", revoked since; 'rollout abort --force' with a reason restores it");
    }
    for (String label : revoked) {
      handle.execute("update version_status set revoked = false, revoked_at = null, revoked_reason = null where workload = ? and label = ?",
          rollout.workload(), label);
    }
    Version target = PolicyService.findVersion(handle, rollout.workload(), rollout.toVersion()).orElseThrow();
    handle.execute("update obligation set state = case when state = 'open' then 'met' else state end, resolved_at = ? "
        + "where rollout_id = ? and resolved_at is null", clock.instant(), rollout.id());
    return transition(handle, rollout, RolloutState.ROLLED_BACK, who, reason, Optional.of(content -> {
      ObjectNode next = PolicyService.withAccepted(content, target, false);
      for (Version version : restore) {
        next = PolicyService.withAccepted(next, version, true);
      }
      return next;
    }), Map.of("removed", rollout.toVersion(), "restored", rollout.fromVersions(), "forced_revoked", revoked));
  }

  /**
   * Moves a rollout to {@code to}: policy revision (when {@code change} is present), rollout row,
   * rollout event, audit record and webhook, all in the caller's transaction.
   */
  Rollout transition(Handle handle, Rollout rollout, RolloutState to, Principal who, String reason, Optional<UnaryOperator<ObjectNode>> change,
      Map<String, Object> details) {
    Instant now = clock.instant();
    Optional<PolicyRevision> revision = change.map(c -> policies.reviseInTransaction(handle, who, rollout.workload(), reason, Optional.empty(), c));
    String column = to == RolloutState.STAGED ? "staged_revision" : "final_revision";
    handle.createUpdate("update rollout set state = :state, updated_at = :now" + (revision.isPresent() ? ", " + column + " = :rev" : "") + " where id = :id")
        .bind("state", to.name()).bind("now", now).bind("rev", revision.map(PolicyRevision::hash).orElse(null)).bind("id", rollout.id()).execute();
    event(handle, rollout.id(), rollout.state(), to, revision.map(PolicyRevision::hash).orElse(null), who, reason, details);
    Map<String, Object> auditDetails = new LinkedHashMap<>(details);
    auditDetails.put("rollout", rollout.id());
    auditDetails.put("from_state", rollout.state().name());
    auditDetails.put("to_state", to.name());
    audit.append(handle, who, "rollout." + to.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), rollout.workload(), reason,
        revision.map(PolicyRevision::hash), auditDetails);
    if (rollout.webhookUrl().isPresent()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("event", "rollout.state");
      body.put("workload", rollout.workload());
      body.put("rollout", rollout.id());
      body.put("from_state", rollout.state().name());
      body.put("state", to.name());
      body.put("to_version", rollout.toVersion());
      body.put("revision", revision.map(PolicyRevision::hash).orElse(null));
      body.put("principal", who.label());
      body.put("reason", reason);
      body.put("at", now.toString());
      webhooks.enqueue(handle, rollout.webhookUrl().get(), body);
    }
    return get(handle, rollout.workload(), rollout.id());
  }

  void event(Handle handle, long id, RolloutState from, RolloutState to, String revision, Principal who, String reason, Map<String, ?> details) {
    handle.createUpdate("insert into rollout_event(rollout_id, at, from_state, to_state, revision, principal, reason, details) "
            + "values (:id, :at, :from, :to, :rev, :who, :reason, :details)")
        .bind("id", id).bind("at", clock.instant()).bind("from", from == null ? null : from.name()).bind("to", to.name()).bind("rev", revision)
        .bind("who", who.label()).bind("reason", reason).bind("details", Json.write(details)).execute();
  }

  private record Deadline(Optional<Instant> at, String action) {}

  private Deadline resolveDeadline(Handle handle, StartRequest request, Instant now) {
    String action = "escalate";
    Optional<Instant> at = Optional.empty();
    if (request.objective().isPresent()) {
      var objectives = PolicyService.workload(handle, request.workload()).objectives();
      var objective = objectives.get(request.objective().get());
      if (objective == null) {
        throw invalid("workload " + request.workload() + " has no control objective '" + request.objective().get() + "'");
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
      return text.startsWith("P") || text.startsWith("p") ? now.plus(Duration.parse(text.toUpperCase(java.util.Locale.ROOT)))
          : java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid("--deadline must be an ISO-8601 duration (PT72H) or an RFC 3339 time: " + text);
    }
  }

  static void checkUrl(String url) {
    try {
      java.net.URI uri = java.net.URI.create(url);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw invalid("webhook URL must be http(s)://host/...");
      }
    } catch (IllegalArgumentException e) {
      throw invalid("webhook URL is malformed");
    }
  }

  // ---- reading ----------------------------------------------------------------------------

  public Optional<Rollout> active(String workload) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(handle, workload);
      return active(handle, workload);
    });
  }

  static Optional<Rollout> active(Handle handle, String workload) {
    return handle.createQuery("select * from rollout where workload = :w and state in ('PLANNED','STAGED','ROLLING')")
        .bind("w", workload).map(RolloutService::map).findOne();
  }

  Rollout lockActive(Handle handle, String workload) {
    PolicyService.lockAndCheckBase(handle, workload, Optional.empty());
    return handle.createQuery("select * from rollout where workload = :w and state in ('PLANNED','STAGED','ROLLING') for update")
        .bind("w", workload).map(RolloutService::map).findOne()
        .orElseThrow(() -> new ProblemException(RolloutProblem.NO_ACTIVE_ROLLOUT, workload + " has no active rollout"));
  }

  public Rollout get(String workload, long id) {
    return jdbi.withHandle(handle -> get(handle, workload, id));
  }

  static Rollout get(Handle handle, String workload, long id) {
    return handle.createQuery("select * from rollout where workload = :w and id = :id").bind("w", workload).bind("id", id)
        .map(RolloutService::map).findOne()
        .orElseThrow(() -> new ProblemException(RolloutProblem.ROLLOUT_NOT_FOUND, workload + " has no rollout " + id));
  }

  public List<Rollout> list(String workload) {
    return jdbi.withHandle(handle -> {
      PolicyService.workload(handle, workload);
      return handle.createQuery("select * from rollout where workload = :w order by id").bind("w", workload).map(RolloutService::map).list();
    });
  }

  public List<Map<String, Object>> events(long rolloutId) {
    return jdbi.withHandle(handle -> handle.createQuery("select * from rollout_event where rollout_id = :id order by id").bind("id", rolloutId)
        .map((rs, ctx) -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("at", rs.getTimestamp("at").toInstant().toString());
          out.put("from_state", rs.getString("from_state"));
          out.put("to_state", rs.getString("to_state"));
          out.put("revision", rs.getString("revision"));
          out.put("principal", rs.getString("principal"));
          out.put("reason", rs.getString("reason"));
          out.put("details", parse(rs.getString("details")));
          return out;
        }).list());
  }

  static Rollout map(ResultSet rs, StatementContext ctx) throws SQLException {
    List<String> from = new ArrayList<>();
    parse(rs.getString("from_versions")).forEach(node -> from.add(node.asText()));
    return new Rollout(rs.getLong("id"), rs.getString("workload"), List.copyOf(from), rs.getString("to_version"),
        RolloutState.valueOf(rs.getString("state")), Optional.ofNullable(rs.getString("objective")), instant(rs, "deadline"),
        rs.getString("on_deadline"), rs.getDouble("max_failure_rate"), rs.getInt("min_samples"), Duration.ofSeconds(rs.getLong("failure_window_s")),
        rs.getDouble("min_fleet_share"), Duration.ofSeconds(rs.getLong("drain_s")), Optional.ofNullable(rs.getString("webhook_url")),
        Optional.ofNullable(rs.getString("staged_revision")), instant(rs, "staged_live_at"), instant(rs, "share_reached_at"),
        Optional.ofNullable(rs.getString("final_revision")), instant(rs, "deadline_fired_at"), rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"), rs.getString("reason"), rs.getTimestamp("updated_at").toInstant());
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    var value = rs.getTimestamp(column);
    return value == null ? Optional.empty() : Optional.of(value.toInstant());
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

  <T> T inTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
    return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, callback);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  AuditLog audit() {
    return audit;
  }

  Clock clock() {
    return clock;
  }
}
