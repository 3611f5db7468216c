// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics served at {@code /metrics}: appraisals by format and result with latency,
 * fleet-record queue depth and drops, cached workloads, rollout deadlines and auto-aborts. Labels
 * never carry instance ids, keys or evidence. Thread-safe.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer appraisalTimer;

  Metrics(ArbiterServer.Services services, dev.arbiter.collateral.CollateralService collateral) {
    Gauge.builder("arbiter.collateral.expired", collateral, c -> c.expiredCount())
        .description("Stored collateral files past their next update (import fresh ones)").register(registry);
    appraisalTimer = Timer.builder("arbiter.appraisal").description("Appraisal latency (no I/O)")
        .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(registry);
    services.appraiser().setObserver((format, result, nanos) -> {
      Counter.builder("arbiter.attestations").description("Attestations by format and result (status or problem)")
          .tag("format", format).tag("result", result).register(registry).increment();
      appraisalTimer.record(nanos, TimeUnit.NANOSECONDS);
    });
    Gauge.builder("arbiter.fleet.queue", services.fleet(), f -> f.pending()).description("Fleet records waiting to be written").register(registry);
    FunctionCounter.builder("arbiter.fleet.dropped", services.fleet(), f -> f.dropped()).description("Fleet records dropped (queue full)")
        .register(registry);
    FunctionCounter.builder("arbiter.fleet.written", services.fleet(), f -> f.written()).register(registry);
    Gauge.builder("arbiter.policy.workloads", services.policyCache(), c -> c.servedSequences().size())
        .description("Workloads in the appraisal policy cache").register(registry);
    FunctionCounter.builder("arbiter.rollout.deadlines", services.scheduler(), s -> s.deadlinesFired())
        .description("Rollout deadlines that passed").register(registry);
    FunctionCounter.builder("arbiter.rollout.auto_aborts", services.scheduler(), s -> s.autoAborts())
        .description("Rollouts rolled back by the failure-rate rule").register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
