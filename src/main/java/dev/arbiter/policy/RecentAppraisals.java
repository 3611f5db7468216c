// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded, in-memory sample of recent appraisals per workload, for dry runs of a proposed
 * appraisal policy ({@link PolicyService#previewAppraisal}). Decision records (fleet events,
 * transparency-log leaves) keep no claims, only the evidence digest and the outcome, so they cannot
 * be re-evaluated; this keeps, per workload, the latest {@link AppraisalInput} (normalized claims,
 * never evidence) of each of the {@value #INSTANCES_PER_WORKLOAD} most recently seen instances,
 * with what actually happened. Only attestations that reached the appraisal policy are kept (those
 * refused earlier, e.g. for no matching version, would be refused under any policy).
 *
 * <p>Per process: each replica samples what it appraised, and a restart starts empty. Memory is
 * bounded by workloads × {@value #INSTANCES_PER_WORKLOAD} claim sets. Recording is a short
 * synchronized map update (it runs on the attesting thread: no I/O). Thread-safe.
 */
public final class RecentAppraisals {
  /** Instances kept per workload (the least recently seen is dropped first). */
  public static final int INSTANCES_PER_WORKLOAD = 256;

  /**
   * One appraisal as it happened.
   *
   * @param at when it was decided
   * @param instanceId the attesting instance
   * @param policyRevision the hash of the policy revision it used
   * @param input what the appraisal policy saw
   * @param passed true when an EAR was issued (the policy then in force allowed it)
   * @param verdict {@code affirming}, {@code warning} or {@code refused}
   * @param problem the refusal's problem slug, or null
   */
  public record Sample(
      Instant at,
      String instanceId,
      String policyRevision,
      AppraisalInput input,
      boolean passed,
      String verdict,
      String problem) {
    public Sample {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  private final int perWorkload;
  private final Map<String, Map<String, Sample>> byWorkload = new ConcurrentHashMap<>();

  public RecentAppraisals() {
    this(INSTANCES_PER_WORKLOAD);
  }

  /** With another bound per workload (tests). */
  public RecentAppraisals(int perWorkload) {
    if (perWorkload < 1) {
      throw new IllegalArgumentException("keep at least one instance per workload");
    }
    this.perWorkload = perWorkload;
  }

  /** Keeps {@code sample} as its instance's latest, dropping the least recently seen instance. */
  public void record(String workload, Sample sample) {
    Map<String, Sample> instances =
        byWorkload.computeIfAbsent(
            workload,
            w ->
                new LinkedHashMap<>(16, 0.75f, true) {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Sample> eldest) {
                    return size() > perWorkload;
                  }
                });
    synchronized (instances) {
      instances.put(sample.instanceId(), sample);
    }
  }

  /**
   * The latest sample of each instance, newest first: at most {@code limit}, and only those decided
   * at or after {@code since} when given.
   */
  public List<Sample> recent(String workload, int limit, Optional<Instant> since) {
    Map<String, Sample> instances = byWorkload.get(workload);
    if (instances == null) {
      return List.of();
    }
    List<Sample> all;
    synchronized (instances) {
      all = new ArrayList<>(instances.values());
    }
    return all.stream()
        .filter(s -> since.isEmpty() || !s.at().isBefore(since.get()))
        .sorted(Comparator.comparing(Sample::at).reversed())
        .limit(limit)
        .toList();
  }
}
