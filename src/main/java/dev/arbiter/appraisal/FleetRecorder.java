// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes fleet records (every appraisal outcome and the latest state per instance) asynchronously
 * in batches, so appraisal itself issues no SQL. A bounded queue: when full, records are dropped
 * and counted rather than slowing attestation. Listeners see each written batch (rollout tracking).
 * Thread-safe.
 */
public final class FleetRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetRecorder.class);
  private static final int BATCH = 2000;

  /**
   * How long the writer waits for more events after the first of a batch: one transaction per 100
   * ms instead of one per attestation or two (each a commit, a WAL flush and two statements).
   */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** One appraisal outcome; {@code version} is null when no version matched. */
  public record Event(
      Instant at,
      String workload,
      String instanceId,
      String format,
      String version,
      String status,
      String reason,
      String policyRevision) {
    public boolean failed() {
      return status.equals("failed");
    }
  }

  private final FleetStore store;
  private final BlockingQueue<Event> queue;
  private final Thread writer;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicInteger flushWaiting = new AtomicInteger();
  private final List<Consumer<List<Event>>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private volatile boolean paused;
  private final Object idle = new Object();

  public FleetRecorder(Database database, int capacity) {
    this.store = new FleetStore(database);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer =
        Thread.ofPlatform().name("arbiter-fleet-writer").daemon(true).unstarted(this::run);
    writer.start();
  }

  /** Enqueues without blocking; false (and counted) when the queue is full. */
  public boolean record(Event event) {
    if (queue.offer(event)) {
      enqueued.incrementAndGet();
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  public void addListener(Consumer<List<Event>> listener) {
    listeners.add(listener);
  }

  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  public int pending() {
    return queue.size();
  }

  /** Test hook: stop writing (events queue up) until {@link #resume()}. */
  public void pause() {
    paused = true;
    LockSupport.unpark(writer);
  }

  public void resume() {
    paused = false;
  }

  /** Blocks until everything queued so far is written (or the timeout passes). */
  public void flush(long timeoutMillis) throws InterruptedException {
    long target = enqueued.get();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    flushWaiting.incrementAndGet();
    LockSupport.unpark(writer);
    try {
      synchronized (idle) {
        while (processed.get() < target && System.currentTimeMillis() < deadline) {
          idle.wait(50);
        }
      }
    } finally {
      flushWaiting.decrementAndGet();
    }
  }

  private void run() {
    List<Event> batch = new ArrayList<>(BATCH);
    int unavailable = 0;
    while (running || !queue.isEmpty() || !batch.isEmpty()) {
      boolean retry = false;
      try {
        if (paused) {
          Thread.sleep(20);
          continue;
        }
        if (batch.isEmpty()) {
          Event first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            synchronized (idle) {
              idle.notifyAll();
            }
            continue;
          }
          batch.add(first);
          linger(batch);
        }
        write(batch);
        unavailable = 0;
        written.addAndGet(batch.size());
        for (Consumer<List<Event>> listener : listeners) {
          try {
            listener.accept(List.copyOf(batch));
          } catch (RuntimeException e) {
            LOG.error("fleet listener failed", e);
          }
        }
      } catch (InterruptedException e) {
        // closing: the loop drains what is queued, then ends
        continue;
      } catch (RuntimeException e) {
        // the database is unreachable (a failover): keep the batch and try again (new events
        // queue up meanwhile, up to the queue's bound), for as long as the server runs
        retry = running && Database.isUnavailable(e);
        if (retry) {
          if (Integer.bitCount(++unavailable) == 1) {
            LOG.warn(
                "writing {} fleet records failed ({} in a row; retrying): {}",
                batch.size(),
                unavailable,
                e.toString());
          }
          try {
            Thread.sleep(Math.min(2000, 100L << Math.min(unavailable, 5)));
          } catch (InterruptedException interrupted) {
            // closing: one more try, then the batch is given up
          }
        } else {
          LOG.error("writing {} fleet records failed; they are lost", batch.size(), e);
        }
      } finally {
        if (!retry) {
          processed.addAndGet(batch.size());
          batch.clear();
          synchronized (idle) {
            idle.notifyAll();
          }
        }
      }
    }
  }

  /**
   * Adds what arrives within {@link #LINGER_NANOS} (up to {@link #BATCH}); returns early when the
   * recorder closes, pauses or a flush waits, and on interruption (closing), keeping the batch.
   */
  private void linger(List<Event> batch) {
    long deadline = System.nanoTime() + LINGER_NANOS;
    while (batch.size() < BATCH) {
      queue.drainTo(batch, BATCH - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= BATCH || left <= 0 || !running || paused || flushWaiting.get() > 0) {
        return;
      }
      // parked, not waiting on the queue: a waiting poll is signalled by every record() (one
      // wake-up and two context switches per attestation on the attesting core); flush, pause
      // and close unpark the writer
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        queue.drainTo(batch, BATCH - batch.size());
        return; // closing: write what we have
      }
    }
  }

  private void write(List<Event> batch) {
    Map<String, Event> latest = new LinkedHashMap<>();
    for (Event event : batch) {
      latest.put(event.workload() + "\u0000" + event.instanceId(), event);
    }
    store.write(batch, latest.values());
  }

  @Override
  public void close() {
    running = false;
    paused = false;
    writer.interrupt();
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
