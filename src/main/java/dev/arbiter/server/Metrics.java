// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import dev.arbiter.appraisal.Decision;
import dev.arbiter.appraisal.DecisionSink;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prometheus metrics served at {@code /metrics}: appraisals by format and result with latency (fed
 * from the appraisal decision stream), fleet-record queue depth and drops, cached workloads,
 * rollout deadlines and auto-aborts. Labels never carry instance ids, keys, evidence or any other
 * value a caller chooses: a format label is a registered scheme id (else {@code other}), a result
 * label an EAR status or a registered problem slug (else {@code other}), and attempts whose
 * evidence was not verified only count in one unlabelled counter. Thread-safe.
 */
public final class Metrics implements DecisionSink {
  static final String OTHER = "other";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer appraisalTimer;
  private final Counter unverified;
  private final Set<String> formats;
  private final Set<String> problems;

  /**
   * @param schemes the enabled schemes (the only format labels)
   * @param problemTypes the registered problems (the only problem labels)
   */
  Metrics(SchemeRegistry schemes, Collection<? extends ProblemType> problemTypes) {
    // the JVM: memory pools, garbage collection, threads, class loading, CPU
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    this.formats =
        schemes.all().stream()
            .map(EvidenceScheme::descriptor)
            .map(d -> d.id())
            .collect(Collectors.toUnmodifiableSet());
    this.problems =
        problemTypes.stream().map(ProblemType::slug).collect(Collectors.toUnmodifiableSet());
    appraisalTimer =
        Timer.builder("arbiter.appraisal")
            .description("Appraisal latency (no I/O)")
            .publishPercentiles(0.5, 0.99)
            .distributionStatisticExpiry(Duration.ofMinutes(1))
            .register(registry);
    unverified =
        Counter.builder("arbiter.attestations.unverified")
            .description(
                "Attestations refused before their evidence was verified (bad nonce, format or"
                    + " evidence)")
            .register(registry);
  }

  /** Registers the gauges over the running services. Returns this. */
  Metrics watch(
      ArbiterServer.Services services, dev.arbiter.collateral.CollateralService collateral) {
    Gauge.builder("arbiter.collateral.expired", collateral, c -> c.expiredCount())
        .description("Stored collateral files past their next update (import fresh ones)")
        .register(registry);
    Gauge.builder("arbiter.collateral.unverified", collateral, c -> c.unverifiedCount())
        .description(
            "Stored collateral files that failed their integrity check at the last reload (bytes,"
                + " row or audited import do not match; alert when > 0)")
        .register(registry);
    Gauge.builder("arbiter.fleet.queue", services.fleet(), f -> f.pending())
        .description("Fleet records waiting to be written")
        .register(registry);
    FunctionCounter.builder("arbiter.fleet.dropped", services.fleet(), f -> f.dropped())
        .description("Fleet records dropped (queue full)")
        .register(registry);
    FunctionCounter.builder("arbiter.fleet.written", services.fleet(), f -> f.written())
        .register(registry);
    Gauge.builder(
            "arbiter.policy.workloads", services.policyCache(), c -> c.servedSequences().size())
        .description("Workloads in the appraisal policy cache")
        .register(registry);
    Gauge.builder(
            "arbiter.policy.refused", services.policyCache(), c -> c.refusedWorkloads().size())
        .description(
            "Workloads refused because their policy failed its integrity check (alert when > 0)")
        .register(registry);
    FunctionCounter.builder(
            "arbiter.policy.integrity_failures", services.policyCache(), c -> c.integrityFailures())
        .description("Policy revisions or versions that failed their integrity check")
        .register(registry);
    FunctionCounter.builder(
            "arbiter.rollout.deadlines", services.scheduler(), s -> s.deadlinesFired())
        .description("Rollout deadlines that passed")
        .register(registry);
    FunctionCounter.builder(
            "arbiter.rollout.auto_aborts", services.scheduler(), s -> s.autoAborts())
        .description("Rollouts rolled back by the failure-rate rule")
        .register(registry);
    return this;
  }

  /**
   * Registers the transparency log's metrics: {@code arbiter_log_mode{mode=...}} (1), {@code
   * arbiter_log_queue_depth}, {@code arbiter_log_appended_total}, {@code arbiter_log_refused_total}
   * (every refused append), {@code arbiter_log_dropped_total} (decisions let through unlogged in
   * best-effort mode), {@code arbiter_log_checkpoint_size}, {@code
   * arbiter_log_checkpoint_age_seconds} (-1 before the first checkpoint) and {@code
   * arbiter_log_signing_halted}, and {@code arbiter_log_decisions_recorded} (1; 0 only on a {@code
   * --dev} benchmark server started with {@code -Darbiter.bench.unloggedDecisions=true}). Returns
   * this.
   */
  Metrics watchLog(
      dev.arbiter.tlog.TransparencyLog log,
      dev.arbiter.appraisal.DecisionLog decisions,
      boolean decisionsRecorded) {
    Gauge.builder("arbiter.log.decisions.recorded", () -> decisionsRecorded ? 1 : 0)
        .description(
            "1 when attestation decisions are leaves of the transparency log; 0 only on a --dev"
                + " benchmark server that measures what the log costs")
        .register(registry);
    Gauge.builder("arbiter.log.mode", () -> 1)
        .tag("mode", decisions.mode().label())
        .description(
            "The transparency log mode for decisions (strict: 503 when the log refuses;"
                + " best-effort: counted as dropped)")
        .register(registry);
    Gauge.builder("arbiter.log.queue.depth", log, l -> l.queueDepth())
        .description("Log entries waiting to be written")
        .register(registry);
    FunctionCounter.builder("arbiter.log.appended", log, l -> l.appendedCount())
        .description("Log entries written")
        .register(registry);
    FunctionCounter.builder("arbiter.log.refused", log, l -> l.refusedCount())
        .description("Log entries refused (queue full or closing)")
        .register(registry);
    FunctionCounter.builder("arbiter.log.dropped", decisions, d -> d.dropped())
        .description("Decisions answered without being logged (best-effort mode)")
        .register(registry);
    Gauge.builder("arbiter.log.checkpoint.size", log, l -> l.lastCheckpointSize())
        .description("Tree size of the latest signed checkpoint")
        .register(registry);
    Gauge.builder(
            "arbiter.log.checkpoint.age",
            log,
            l ->
                l.lastCheckpointTime()
                    .map(t -> Duration.between(t, java.time.Instant.now()).toMillis() / 1000.0)
                    .orElse(-1.0))
        .baseUnit("seconds")
        .description("Seconds since the latest checkpoint was signed (-1: none yet)")
        .register(registry);
    Gauge.builder("arbiter.log.signing.halted", log, l -> l.metrics().signingHalted() ? 1 : 0)
        .description(
            "1 when checkpoint signing stopped because the database's log does not extend the last"
                + " checkpoint")
        .register(registry);
    return this;
  }

  /** Counts one appraisal decision. Does not block. */
  @Override
  public void accept(Decision decision) {
    appraisalTimer.record(decision.elapsed().toNanos(), TimeUnit.NANOSECONDS);
    if (!decision.evidenceVerified()) {
      unverified.increment();
      return;
    }
    String result =
        decision.verdict() == Decision.Verdict.REFUSED
            ? problemLabel(decision.problem())
            : decision.verdict().label();
    Counter.builder("arbiter.attestations")
        .description("Attestations with verified evidence by format and result (status or problem)")
        .tag("format", formatLabel(decision.format()))
        .tag("result", result)
        .register(registry)
        .increment();
  }

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /** Registers the overload counters: requests shed (503) and rate-limited (429). */
  void watchAdmission(dev.arbiter.http.Admission admission) {
    FunctionCounter.builder("arbiter.http.shed", admission, a -> a.shedCount())
        .description(
            "Requests to the attestation routes shed with 503 overloaded (no slot within the queue"
                + " budget)")
        .register(registry);
    FunctionCounter.builder("arbiter.http.rate_limited", admission, a -> a.limitedCount())
        .description("Requests to the attestation routes refused with 429 rate-limited")
        .register(registry);
    Gauge.builder("arbiter.http.inflight", admission, a -> a.inflight())
        .description("Requests to the attestation routes being processed now")
        .register(registry);
  }

  /**
   * Counts one answered HTTP request in {@code http_server_requests_seconds} by method, route
   * template ({@code unmatched} when no route took it: never the raw path) and status class.
   */
  void answered(String method, String route, int status, long nanos) {
    String methodLabel = METHODS.contains(method) ? method : OTHER;
    String statusLabel = status >= 100 && status < 600 ? STATUS_CLASSES[status / 100] : OTHER;
    // one lookup per request instead of building and registering a meter id each time
    requestTimers
        .computeIfAbsent(
            new RequestKey(methodLabel, route, statusLabel),
            key ->
                Timer.builder("http.server.requests")
                    .description("HTTP requests by method, route template and status class")
                    .tag("method", key.method())
                    .tag("route", key.route())
                    .tag("status", key.status())
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  /** The labels of one request timer (route templates and labels are bounded sets). */
  private record RequestKey(String method, String route, String status) {}

  private final java.util.concurrent.ConcurrentMap<RequestKey, Timer> requestTimers =
      new java.util.concurrent.ConcurrentHashMap<>();

  String formatLabel(String format) {
    return formats.contains(format) ? format : OTHER;
  }

  String problemLabel(String slug) {
    return slug != null && problems.contains(slug) ? slug : OTHER;
  }

  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
