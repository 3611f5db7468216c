// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Overload protection for the routes that instances call in bulk ({@link Route#withAdmission()}): a
 * per-client token bucket (by source address) and a concurrency limit with a queue-time budget.
 *
 * <p>Past saturation a server that queues everything answers every request late; this one answers
 * what it can within the budget and sheds the rest at once with a typed 503 ({@link
 * CommonProblem#OVERLOADED}) and {@code Retry-After}, so callers back off and latency stays
 * bounded. A client that sends more than its rate gets a typed 429 ({@link
 * CommonProblem#RATE_LIMITED}) with the seconds until its next token in {@code Retry-After}, before
 * its request is read, so a noisy client cannot take the capacity of the others. Counts both for
 * the metrics. Thread-safe.
 */
public final class Admission {
  /** At most this many clients are tracked; idle buckets are evicted beyond it. */
  static final int MAX_CLIENTS = 100_000;

  private final Settings settings;
  private final Semaphore inflight;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong limited = new AtomicLong();

  /**
   * How much to admit.
   *
   * @param maxInflight guarded requests appraised at once; 0 = no limit
   * @param queueBudget how long a request may wait for one of them before it is shed
   * @param ratePerClient guarded requests per second per source address; 0 = no limit
   * @param burstPerClient the bucket size: requests a client may send at once after being idle
   */
  public record Settings(
      int maxInflight, Duration queueBudget, double ratePerClient, int burstPerClient) {
    public Settings {
      Objects.requireNonNull(queueBudget, "queueBudget");
      if (maxInflight < 0 || ratePerClient < 0 || burstPerClient < 0 || queueBudget.isNegative()) {
        throw new IllegalArgumentException("admission limits must not be negative");
      }
    }

    /**
     * The default: at most 4 appraisals per core at once (the appraisal is CPU-bound; more in
     * flight only adds latency), each waiting at most 1 s for a slot (a burst on a busy host is
     * absorbed; only a queue that would grow into multi-second latencies is shed: with 100 ms, CI's
     * rollout test saw ordinary bursts shed); no per-client limit (a load balancer in front makes
     * every client one address).
     */
    public static Settings defaults() {
      return new Settings(
          Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(1), 0, 0);
    }

    /** No limits at all. */
    public static Settings unlimited() {
      return new Settings(0, Duration.ZERO, 0, 0);
    }

    public Settings withMaxInflight(int value) {
      return new Settings(value, queueBudget, ratePerClient, burstPerClient);
    }

    public Settings withQueueBudget(Duration value) {
      return new Settings(maxInflight, value, ratePerClient, burstPerClient);
    }

    /** A per-client rate with a burst of {@code burst} (at least 1 when the rate is set). */
    public Settings withRatePerClient(double rate, int burst) {
      return new Settings(
          maxInflight, queueBudget, rate, rate > 0 ? Math.max(1, burst) : burstPerClient);
    }
  }

  /** A slot held while a guarded request is appraised; close to give it back. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private static final Permit NO_PERMIT = () -> {};

  public Admission(Settings settings) {
    this(settings, System::nanoTime);
  }

  Admission(Settings settings, LongSupplier nanoTime) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.inflight = settings.maxInflight() > 0 ? new Semaphore(settings.maxInflight(), true) : null;
    this.nanoTime = nanoTime;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Takes a token from the client's bucket.
   *
   * @throws Rejected {@link CommonProblem#RATE_LIMITED} when it is empty, with the seconds until
   *     the next token
   */
  public void checkRate(String client) {
    if (settings.ratePerClient() <= 0) {
      return;
    }
    if (buckets.size() >= MAX_CLIENTS) {
      evictIdle();
    }
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(settings.burstPerClient()));
    long waitNanos = bucket.take(nanoTime.getAsLong(), settings);
    if (waitNanos > 0) {
      limited.incrementAndGet();
      throw new Rejected(
          CommonProblem.RATE_LIMITED,
          "more than "
              + formatRate(settings.ratePerClient())
              + " requests per second from this client; retry after Retry-After",
          seconds(waitNanos));
    }
  }

  /**
   * Waits at most the queue budget for a slot.
   *
   * @throws Rejected {@link CommonProblem#OVERLOADED} when none frees up in time
   */
  public Permit enter() {
    if (inflight == null) {
      return NO_PERMIT;
    }
    boolean acquired;
    try {
      acquired =
          inflight.tryAcquire() // the common case, without touching the fair queue's clock
              || inflight.tryAcquire(settings.queueBudget().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      shed.incrementAndGet();
      throw new Rejected(
          CommonProblem.OVERLOADED,
          "the server is at capacity; retry after Retry-After (possibly at another replica)",
          1);
    }
    return inflight::release;
  }

  /** Requests shed with 503 overloaded. */
  public long shedCount() {
    return shed.get();
  }

  /** Requests refused with 429 rate-limited. */
  public long limitedCount() {
    return limited.get();
  }

  /** Guarded requests being appraised now. */
  public int inflight() {
    return inflight == null ? 0 : settings.maxInflight() - inflight.availablePermits();
  }

  private void evictIdle() {
    long now = nanoTime.getAsLong();
    buckets.values().removeIf(bucket -> bucket.full(now, settings));
    if (buckets.size() >= MAX_CLIENTS) {
      buckets.clear(); // every client active: forget them all rather than grow without bound
    }
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  private static String formatRate(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  /** A token bucket: {@code tokens} as of {@code at}, refilled at the configured rate. */
  static final class Bucket {
    private double tokens;
    private long at = Long.MIN_VALUE;

    Bucket(int burst) {
      this.tokens = burst;
    }

    /** Takes one token: 0, or the nanoseconds until one will be there. */
    synchronized long take(long now, Settings settings) {
      refill(now, settings);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / settings.ratePerClient() * 1e9);
    }

    synchronized boolean full(long now, Settings settings) {
      refill(now, settings);
      return tokens >= settings.burstPerClient();
    }

    private void refill(long now, Settings settings) {
      if (at != Long.MIN_VALUE) {
        double added = (now - at) / 1e9 * settings.ratePerClient();
        tokens = Math.min(settings.burstPerClient(), tokens + added);
      }
      at = now;
    }
  }

  /**
   * A refusal of this component: its problem and the seconds for {@code Retry-After}. Carries no
   * stack trace (an expected answer under load).
   */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ProblemException problem;
    private final long retryAfterSeconds;

    Rejected(CommonProblem type, String detail, long retryAfterSeconds) {
      super(detail, null, false, false);
      this.problem = new ProblemException(type, detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemException problem() {
      return problem;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
