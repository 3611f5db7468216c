// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transparency log service. {@link #append} puts an entry on a bounded in-memory queue and
 * returns at once (no SQL on the caller's thread), refusing when the queue is full so callers can
 * answer 503 with Retry-After. One background writer drains the queue in batches (up to {@link
 * Config#maxBatch} entries per transaction, at least every {@link Config#batchDelay}) into the
 * {@link LogStore}, then, when the tree grew and at most every {@link Config#checkpointInterval},
 * signs a checkpoint, stores it, and writes it to the local checkpoint file outside the database.
 *
 * <p>Before signing, the writer checks a consistency proof from the last checkpoint it signed to
 * the new tree; if the database's tree does not extend it, signing stops for good (a fork is never
 * signed) and {@link #flush} fails.
 *
 * <p>Startup: {@link #create}, then {@link #verifyAgainstLocalCheckpoint()} (refuse to serve unless
 * {@link LocalCheckpointCheck#mayStart()}), then {@link #start()}. Timestamps come from the
 * injected {@link Clock}; intervals use the monotonic {@link System#nanoTime()}. Thread-safe.
 */
public final class TransparencyLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransparencyLog.class);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Settings.
   *
   * @param checkpointFile where the latest signed checkpoint is kept outside the database
   * @param queueCapacity entries the queue holds before {@link #append} refuses
   * @param maxBatch entries per append transaction
   * @param batchDelay how long an entry may wait for a batch (the writer's wake-up period)
   * @param checkpointInterval minimum time between two checkpoints while the tree grows
   * @param closeTimeout how long {@link #close()} and {@link #flush()} wait
   */
  public record Config(
      Path checkpointFile,
      int queueCapacity,
      int maxBatch,
      Duration batchDelay,
      Duration checkpointInterval,
      Duration closeTimeout) {
    public Config {
      if (queueCapacity < 1 || maxBatch < 1) {
        throw new IllegalArgumentException("queue capacity and batch size must be positive");
      }
      if (batchDelay.isNegative()
          || batchDelay.isZero()
          || checkpointInterval.isNegative()
          || closeTimeout.isNegative()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }

    /**
     * 10,000 queued entries, batches of 1,000 or every 250 ms, a checkpoint at most every second.
     * The linger is what a batch costs against how long an entry waits in memory: each batch is a
     * transaction (head lock, frontier, two {@code COPY}s, head update, a WAL flush), so at 2,000
     * decisions a second 250 ms makes 4 of them instead of 10 (docs/benchmarks.md, "Decision log
     * cost"); decisions wait in the spool, which survives a crash, and {@code flush()} does not
     * wait for it.
     */
    public static Config defaults(Path checkpointFile) {
      return new Config(
          checkpointFile,
          10_000,
          1_000,
          Duration.ofMillis(250),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30));
    }

    public Config withQueueCapacity(int capacity) {
      return new Config(
          checkpointFile, capacity, maxBatch, batchDelay, checkpointInterval, closeTimeout);
    }

    public Config withMaxBatch(int batch) {
      return new Config(
          checkpointFile, queueCapacity, batch, batchDelay, checkpointInterval, closeTimeout);
    }

    public Config withBatchDelay(Duration delay) {
      return new Config(
          checkpointFile, queueCapacity, maxBatch, delay, checkpointInterval, closeTimeout);
    }

    public Config withCheckpointInterval(Duration interval) {
      return new Config(
          checkpointFile, queueCapacity, maxBatch, batchDelay, interval, closeTimeout);
    }

    public Config withCloseTimeout(Duration timeout) {
      return new Config(
          checkpointFile, queueCapacity, maxBatch, batchDelay, checkpointInterval, timeout);
    }
  }

  /** What {@link #append} did with an entry. */
  public enum AppendResult {
    /** Queued; it will be in the log (and a checkpoint) within about a second. */
    ACCEPTED,
    /** The queue is full: answer 503 with Retry-After. */
    REFUSED_QUEUE_FULL,
    /** The log is closing. */
    REFUSED_CLOSED;

    public boolean accepted() {
      return this == ACCEPTED;
    }
  }

  /** A snapshot of the counters. */
  public record Metrics(
      int queueDepth,
      int queueCapacity,
      long appended,
      long refused,
      long writeFailures,
      long lastCheckpointSize,
      Optional<Instant> lastCheckpointTime,
      boolean signingHalted) {}

  private record Signed(Checkpoint checkpoint, String note, Optional<Instant> at) {}

  private final LogStore store;
  private final CheckpointSigner signer;
  private final Config config;
  private final Clock clock;
  private final ArrayBlockingQueue<LogEntry> queue;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests =
      new ConcurrentLinkedQueue<>();
  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  private final Object lifecycle = new Object();
  private volatile Thread writer;
  private volatile boolean closing;
  private volatile Signed lastSigned;
  private volatile String haltReason;
  private volatile long knownTreeSize;
  private volatile int unwrittenCount;
  // writer thread only
  private List<LogEntry> unwritten;
  private long lastSignNanos;
  private long lastHeadPollNanos;
  private volatile DecisionSpool spool;
  // the spool's mark when the batch being written took everything queued: the segments before it
  // are deleted once the batch commits
  private long pendingRelease = -1;

  private TransparencyLog(LogStore store, CheckpointSigner signer, Config config, Clock clock) {
    this.store = store;
    this.signer = signer;
    this.config = config;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.lastSigned = initialCheckpoint();
    this.knownTreeSize = store.head().size();
    this.lastSignNanos = System.nanoTime() - config.checkpointInterval().toNanos();
  }

  /**
   * The service, not yet writing: check {@link #verifyAgainstLocalCheckpoint()}, then {@link
   * #start()}.
   */
  public static TransparencyLog create(
      LogStore store, CheckpointSigner signer, Config config, Clock clock) {
    return new TransparencyLog(store, signer, config, clock);
  }

  /**
   * The checkpoint new ones must extend: the local file's when it verifies, else the database's
   * latest when it verifies with our key.
   */
  private Signed initialCheckpoint() {
    try {
      Optional<String> local = LocalCheckpointFile.read(config.checkpointFile());
      if (local.isPresent()
          && Checkpoints.open(local.get(), signer.verifierKey())
              instanceof Verification.Verified(Checkpoint c)) {
        return new Signed(
            c, local.get(), store.checkpointAt(c.size()).map(LogStore.StoredCheckpoint::createdAt));
      }
    } catch (IOException e) {
      LOG.warn("cannot read the local checkpoint {}: {}", config.checkpointFile(), e.toString());
    }
    Optional<LogStore.StoredCheckpoint> stored = store.latestCheckpoint();
    if (stored.isPresent()
        && Checkpoints.open(stored.get().note(), signer.verifierKey())
            instanceof Verification.Verified(Checkpoint c)) {
      return new Signed(c, stored.get().note(), Optional.of(stored.get().createdAt()));
    }
    return null;
  }

  /**
   * Keeps a local copy of every queued decision in {@code directory} until it is committed, so that
   * a process that dies loses none whose result was returned ({@link DecisionSpool}); first writes
   * what a previous process left there and the log does not have yet. Call before {@link #start()}.
   *
   * @return how many spooled decisions were missing from the log and are now written
   */
  public int spoolTo(Path directory) throws IOException {
    DecisionSpool opened = DecisionSpool.open(directory);
    List<LogEntry> missing = new ArrayList<>();
    List<LogEntry> recovered = opened.recovered();
    for (int from = 0; from < recovered.size(); from += config.maxBatch()) {
      List<LogEntry> chunk =
          recovered.subList(from, Math.min(recovered.size(), from + config.maxBatch()));
      Map<String, Set<String>> logged =
          store.leafTextsByJti(chunk.stream().flatMap(e -> e.jti().stream()).toList());
      for (LogEntry entry : chunk) {
        Optional<String> jti = entry.jti();
        if (jti.isEmpty() || !logged.getOrDefault(jti.get(), Set.of()).contains(entry.leafText())) {
          missing.add(entry);
        }
      }
    }
    for (int from = 0; from < missing.size(); from += config.maxBatch()) {
      List<LogEntry> batch =
          missing.subList(from, Math.min(missing.size(), from + config.maxBatch()));
      write(batch);
    }
    opened.discardRecovered();
    if (!opened.recovered().isEmpty()) {
      LOG.info(
          "transparency log: {} decisions spooled by a previous process, {} of them missing from"
              + " the log and now written",
          opened.recovered().size(),
          missing.size());
    }
    this.spool = opened;
    return missing.size();
  }

  /** Starts the background writer (idempotent). */
  public void start() {
    synchronized (lifecycle) {
      if (closing) {
        throw new IllegalStateException("transparency log is closed");
      }
      if (writer == null) {
        Thread thread = new Thread(this::run, "arbiter-tlog-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
      }
    }
  }

  // ---------------------------------------------------------------- appending

  /** Queues {@code entry}; never blocks and never touches the database. */
  public AppendResult append(LogEntry entry) {
    if (closing) {
      refused.incrementAndGet();
      return AppendResult.REFUSED_CLOSED;
    }
    DecisionSpool local = spool;
    if (local != null && entry.jti().isPresent()) {
      synchronized (local) {
        if (!queue.offer(entry)) {
          refused.incrementAndGet();
          return AppendResult.REFUSED_QUEUE_FULL;
        }
        try {
          local.add(entry);
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
          LOG.warn("decision spool: {} (the decision stays queued in memory)", e.getMessage());
        }
      }
    } else if (!queue.offer(entry)) {
      refused.incrementAndGet();
      return AppendResult.REFUSED_QUEUE_FULL;
    }
    if (closing && queue.remove(entry)) {
      // close() raced with this call and the writer may have drained for the last time
      refused.incrementAndGet();
      return AppendResult.REFUSED_CLOSED;
    }
    if (queue.size() >= config.maxBatch()) {
      wake();
    }
    return AppendResult.ACCEPTED;
  }

  /**
   * Waits until every entry accepted before the call is stored and covered by a signed checkpoint
   * (also written to the local file).
   *
   * @throws StoreException when writing failed or timed out (entries stay queued and are retried)
   * @throws IllegalStateException when signing has halted because the database forked, or the
   *     writer was never started
   */
  public void flush() {
    Thread thread = writer;
    if (thread == null) {
      throw new IllegalStateException("transparency log writer is not started");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    flushRequests.add(done);
    LockSupport.unpark(thread);
    try {
      done.get(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while flushing the transparency log", e);
    } catch (TimeoutException e) {
      throw new StoreException("flushing the transparency log timed out", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalStateException halted) {
        throw new IllegalStateException(halted.getMessage(), halted);
      }
      throw new StoreException(
          "flushing the transparency log failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Stops accepting entries, drains the queue (waiting up to the close timeout) and stops the
   * writer.
   */
  @Override
  public void close() {
    Thread thread;
    synchronized (lifecycle) {
      if (closing && writer == null) {
        return;
      }
      closing = true;
      thread = writer;
    }
    if (thread == null) {
      if (!queue.isEmpty()) {
        LOG.warn("transparency log closed before it started: {} entries not written", queue.size());
      }
      return;
    }
    LockSupport.unpark(thread);
    try {
      // the writer gives up at the close timeout; allow it to finish its last attempt
      thread.join(config.closeTimeout().plusSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    if (pending() > 0) {
      LOG.error("transparency log closed with {} accepted entries not written", pending());
    }
    DecisionSpool local = spool;
    if (local != null) {
      synchronized (local) {
        local.close();
        if (pending() == 0) {
          local.release(Long.MAX_VALUE);
        }
      }
    }
    synchronized (lifecycle) {
      writer = null;
    }
  }

  private void wake() {
    Thread thread = writer;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  // ---------------------------------------------------------------- writer

  private void run() {
    int failures = 0;
    long closeDeadline = Long.MAX_VALUE;
    while (true) {
      List<CompletableFuture<Void>> flushes = new ArrayList<>();
      for (CompletableFuture<Void> f; (f = flushRequests.poll()) != null; ) {
        flushes.add(f);
      }
      boolean closingNow = closing;
      if (closingNow && closeDeadline == Long.MAX_VALUE) {
        closeDeadline = System.nanoTime() + config.closeTimeout().toNanos();
      }
      RuntimeException failure = null;
      try {
        writeQueued();
        prepareSpool();
        failures = 0;
        checkpointIfDue(!flushes.isEmpty() || closingNow);
      } catch (RuntimeException e) {
        failure = e;
        failures++;
        if (haltReason == null) {
          writeFailures.incrementAndGet();
        }
        if (haltReason == null && Integer.bitCount(failures) == 1) {
          // the first failure of a streak, then the 2nd, 4th, 8th...: the backoff caps at 5 s
          LOG.warn(
              "transparency log write failed ({} in a row; {} entries waiting): {}",
              failures,
              pending(),
              e.toString());
        }
      }
      for (CompletableFuture<Void> flush : flushes) {
        if (failure == null) {
          flush.complete(null);
        } else {
          flush.completeExceptionally(failure);
        }
      }
      boolean drained = queue.isEmpty() && unwritten == null;
      if (closingNow
          && ((drained && (failure == null || haltReason != null))
              || System.nanoTime() > closeDeadline)) {
        return;
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      long park = config.batchDelay().toNanos();
      if (failure != null) {
        park = Math.min(MAX_BACKOFF_NANOS, park << Math.min(failures, 6));
      } else if (knownTreeSize > signedSize() && haltReason == null) {
        park =
            Math.max(
                1,
                Math.min(
                    park,
                    lastSignNanos + config.checkpointInterval().toNanos() - System.nanoTime()));
      }
      if (failure != null) {
        // back off, also while closing (up to the close deadline)
        LockSupport.parkNanos(
            this,
            closeDeadline == Long.MAX_VALUE
                ? park
                : Math.max(1, Math.min(park, closeDeadline - System.nanoTime())));
      } else if (flushRequests.isEmpty() && !closing && queue.size() < config.maxBatch()) {
        LockSupport.parkNanos(this, park);
      }
    }
  }

  /** Writes the entries queued now (and a batch that failed before), in batches. */
  private void writeQueued() {
    if (unwritten != null) {
      if (!alreadyWritten(unwritten)) {
        write(unwritten);
      }
      setUnwritten(null);
      releaseSpool();
    }
    int budget = queue.size();
    while (budget > 0) {
      List<LogEntry> batch = new ArrayList<>(Math.min(budget, config.maxBatch()));
      DecisionSpool local = spool;
      if (local != null) {
        synchronized (local) {
          queue.drainTo(batch, Math.min(budget, config.maxBatch()));
          if (queue.isEmpty()) {
            // every entry of the segments before the active one is in this batch or an earlier
            // (committed) one
            pendingRelease = local.mark();
          }
        }
      } else {
        queue.drainTo(batch, Math.min(budget, config.maxBatch()));
      }
      if (batch.isEmpty()) {
        return;
      }
      budget -= batch.size();
      setUnwritten(batch);
      write(batch);
      setUnwritten(null);
      releaseSpool();
    }
  }

  /** Maps the spool's next segment ahead of need (not on an attesting thread). */
  private void prepareSpool() {
    DecisionSpool local = spool;
    if (local != null) {
      local.prepareNext();
    }
  }

  /** Deletes the spool segments whose last batch was just committed. */
  private void releaseSpool() {
    DecisionSpool local = spool;
    if (local != null && pendingRelease >= 0) {
      long upTo = pendingRelease;
      pendingRelease = -1;
      // not under the spool's lock: no one writes the segments before the mark any more, so
      // request threads appending to the active one need not wait for the listing and unlinks
      local.release(upTo);
    }
  }

  /**
   * Whether a batch whose write failed was committed after all: a commit whose connection broke
   * (the primary died after the synchronous standby confirmed it, before the answer arrived) is
   * reported as a failure, and writing the batch again would log its leaves twice. A batch is one
   * transaction, so it is there when its last entry is; entries without a {@code jti} (never queued
   * by the decision log) are written again.
   */
  private boolean alreadyWritten(List<LogEntry> batch) {
    LogEntry last = batch.get(batch.size() - 1);
    Optional<String> jti = last.jti();
    if (jti.isEmpty()) {
      return false;
    }
    Optional<LogStore.LoggedLeaf> found = store.findByJti(jti.get());
    if (found.isPresent() && found.get().leafText().equals(last.leafText())) {
      LOG.info(
          "transparency log: a batch of {} entries whose commit was cut off had been committed"
              + " (last leaf {}); not writing it again",
          batch.size(),
          found.get().index());
      appended.addAndGet(batch.size());
      knownTreeSize = Math.max(knownTreeSize, found.get().index() + 1);
      return true;
    }
    return false;
  }

  private void setUnwritten(List<LogEntry> batch) {
    unwritten = batch;
    unwrittenCount = batch == null ? 0 : batch.size();
  }

  private void write(List<LogEntry> batch) {
    LogStore.Appended result = store.append(batch, clock.instant());
    appended.addAndGet(batch.size());
    knownTreeSize = Math.max(knownTreeSize, result.head().size());
  }

  private long signedSize() {
    Signed signed = lastSigned;
    return signed == null ? 0 : signed.checkpoint().size();
  }

  /** Signs a checkpoint when the tree grew and the interval passed (or {@code force}). */
  private void checkpointIfDue(boolean force) {
    if (haltReason != null) {
      if (force && store.head().size() > signedSize()) {
        throw new IllegalStateException(haltReason);
      }
      return;
    }
    if (!force && knownTreeSize <= signedSize()) {
      // other writers (policy revisions, audit records and key events, appended in their own
      // transactions; other replicas) grow the tree too: look at the head once per interval
      long nowNanos = System.nanoTime();
      if (nowNanos - lastHeadPollNanos >= config.checkpointInterval().toNanos()) {
        lastHeadPollNanos = nowNanos;
        knownTreeSize = Math.max(knownTreeSize, store.head().size());
      }
    }
    if (!force
        && (knownTreeSize <= signedSize()
            || System.nanoTime() - lastSignNanos < config.checkpointInterval().toNanos())) {
      return;
    }
    LogStore.TreeHead head = store.head();
    knownTreeSize = Math.max(knownTreeSize, head.size());
    Signed previous = lastSigned;
    if (previous == null ? head.size() == 0 : head.size() <= previous.checkpoint().size()) {
      if (previous != null && head.size() < previous.checkpoint().size()) {
        halt(
            "the database's tree (size "
                + head.size()
                + ") is smaller than the last signed checkpoint (size "
                + previous.checkpoint().size()
                + ")");
      }
      return;
    }
    if (previous != null) {
      Checkpoint old = previous.checkpoint();
      List<byte[]> proof = store.consistencyProof(old.size(), head.size());
      if (!Merkle.verifyConsistency(
          old.size(), head.size(), old.rootHash(), head.rootHash(), proof)) {
        halt(
            "the database's tree at size "
                + head.size()
                + " does not extend the last signed checkpoint (size "
                + old.size()
                + ")");
        throw new IllegalStateException(haltReason);
      }
    }
    Checkpoint checkpoint = new Checkpoint(signer.origin(), head.size(), head.rootHash());
    String note = signer.sign(checkpoint);
    Instant now = clock.instant();
    store.saveCheckpoint(checkpoint, note, now);
    try {
      LocalCheckpointFile.write(config.checkpointFile(), note);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the local checkpoint " + config.checkpointFile(), e);
    }
    lastSigned = new Signed(checkpoint, note, Optional.of(now));
    lastSignNanos = System.nanoTime();
  }

  private void halt(String reason) {
    if (haltReason == null) {
      haltReason = "checkpoint signing halted: " + reason;
      LOG.error("transparency log: {}", haltReason);
    }
  }

  // ---------------------------------------------------------------- startup check

  /**
   * Checks the database's log against the checkpoint in the local file (O(log n)): the tree must
   * not be smaller ({@link LocalCheckpointCheck.Behind}), and its root at the local size must be
   * the local root and its head must extend it by a consistency proof ({@link
   * LocalCheckpointCheck.Forked} otherwise). Detects a truncated, restored or rewritten history; a
   * leaf body altered without recomputing the tree's hashes is found by {@link #audit()}.
   */
  public LocalCheckpointCheck verifyAgainstLocalCheckpoint() {
    Optional<String> note;
    try {
      note = LocalCheckpointFile.read(config.checkpointFile());
    } catch (IOException e) {
      return new LocalCheckpointCheck.Unverifiable(
          "cannot read the local checkpoint " + config.checkpointFile() + ": " + e.getMessage());
    }
    LogStore.TreeHead head = store.head();
    if (note.isEmpty()) {
      return new LocalCheckpointCheck.NoLocalCheckpoint(head.size());
    }
    Verification opened = Checkpoints.open(note.get(), signer.verifierKey());
    if (!(opened instanceof Verification.Verified(Checkpoint local))) {
      return new LocalCheckpointCheck.Unverifiable(
          "the local checkpoint " + config.checkpointFile() + " does not verify: " + opened);
    }
    String localRoot = B64.encode(local.rootHash());
    if (head.size() < local.size()) {
      return new LocalCheckpointCheck.Behind(local.size(), head.size());
    }
    byte[] databaseRoot;
    try {
      databaseRoot = store.rootAt(local.size());
    } catch (StoreException e) {
      return new LocalCheckpointCheck.Forked(local.size(), localRoot, "", e.getMessage());
    }
    if (!Arrays.equals(databaseRoot, local.rootHash())) {
      return new LocalCheckpointCheck.Forked(
          local.size(),
          localRoot,
          B64.encode(databaseRoot),
          "the database's root at size "
              + local.size()
              + " is not the root of the local checkpoint");
    }
    List<byte[]> proof;
    try {
      proof = store.consistencyProof(local.size(), head.size());
    } catch (StoreException e) {
      return new LocalCheckpointCheck.Forked(
          local.size(), localRoot, B64.encode(databaseRoot), e.getMessage());
    }
    if (!Merkle.verifyConsistency(
        local.size(), head.size(), local.rootHash(), head.rootHash(), proof)) {
      return new LocalCheckpointCheck.Forked(
          local.size(),
          localRoot,
          B64.encode(databaseRoot),
          "the database's head (size "
              + head.size()
              + ") is not an extension of the local checkpoint");
    }
    return new LocalCheckpointCheck.Consistent(local.size(), head.size());
  }

  /** Recomputes the whole tree and verifies every stored checkpoint with this log's key (O(n)). */
  public LogStore.TreeAudit audit() {
    return store.audit(Optional.of(signer.verifierKey()));
  }

  // ---------------------------------------------------------------- proofs

  /**
   * The inclusion proof of leaf {@code leafIndex} in the tree of size {@code treeSize}, carrying
   * the signed checkpoint of that size when one is stored.
   *
   * @throws IllegalArgumentException unless {@code leafIndex < treeSize <= tree size}
   */
  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    List<byte[]> hashes = store.inclusionProof(leafIndex, treeSize);
    LogStore.LoggedLeaf leaf =
        store
            .leaf(leafIndex)
            .orElseThrow(() ->
                new StoreException(
                    "transparency log is corrupt: leaf " + leafIndex + " is missing", null));
    String note = store.checkpointAt(treeSize).map(LogStore.StoredCheckpoint::note).orElse(null);
    return InclusionProof.of(leafIndex, treeSize, leaf.leafHash(), hashes, note);
  }

  /**
   * The inclusion proof of leaf {@code leafIndex} against the latest stored checkpoint.
   *
   * @throws IllegalArgumentException when no checkpoint covers the leaf yet
   */
  public InclusionProof inclusionProof(long leafIndex) {
    LogStore.StoredCheckpoint latest =
        store
            .latestCheckpoint()
            .orElseThrow(() -> new IllegalArgumentException("the log has no checkpoint yet"));
    if (leafIndex < 0 || leafIndex >= latest.size()) {
      throw new IllegalArgumentException(
          "leaf "
              + leafIndex
              + " is not covered by the latest checkpoint (size "
              + latest.size()
              + ")");
    }
    List<byte[]> hashes = store.inclusionProof(leafIndex, latest.size());
    LogStore.LoggedLeaf leaf =
        store
            .leaf(leafIndex)
            .orElseThrow(() ->
                new StoreException(
                    "transparency log is corrupt: leaf " + leafIndex + " is missing", null));
    return InclusionProof.of(leafIndex, latest.size(), leaf.leafHash(), hashes, latest.note());
  }

  /**
   * The consistency proof between two tree sizes.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize <= tree size}
   */
  public ConsistencyProof consistencyProof(long oldSize, long newSize) {
    return ConsistencyProof.of(oldSize, newSize, store.consistencyProof(oldSize, newSize));
  }

  /** The decision leaf logged for the EAR whose {@code jti} this is. */
  public Optional<LogStore.LoggedLeaf> findDecision(String jti) {
    return store.findByJti(jti);
  }

  /** The leaf at {@code index}. */
  public Optional<LogStore.LoggedLeaf> leaf(long index) {
    return store.leaf(index);
  }

  /** The latest stored signed checkpoint (for {@code GET /v1/log/checkpoint}). */
  public Optional<String> latestCheckpointNote() {
    return store.latestCheckpoint().map(LogStore.StoredCheckpoint::note);
  }

  /** The key that verifies this log's checkpoints, to pin. */
  public NoteVerifierKey verifierKey() {
    return signer.verifierKey();
  }

  // ---------------------------------------------------------------- metrics

  public int queueDepth() {
    return queue.size();
  }

  /** Accepted entries not yet written: the queue and a batch being written or retried. */
  private int pending() {
    return queue.size() + unwrittenCount;
  }

  /** Entries written to the store by this instance. */
  public long appendedCount() {
    return appended.get();
  }

  /** Entries refused (queue full or closed). */
  public long refusedCount() {
    return refused.get();
  }

  /** Size of the last checkpoint this instance signed or started from (0 when none). */
  public long lastCheckpointSize() {
    return signedSize();
  }

  /** When the last checkpoint was signed, when known. */
  public Optional<Instant> lastCheckpointTime() {
    Signed signed = lastSigned;
    return signed == null ? Optional.empty() : signed.at();
  }

  /** The last signed checkpoint note, if any. */
  public Optional<String> lastCheckpointNote() {
    Signed signed = lastSigned;
    return signed == null ? Optional.empty() : Optional.of(signed.note());
  }

  public Metrics metrics() {
    return new Metrics(
        queue.size(),
        config.queueCapacity(),
        appended.get(),
        refused.get(),
        writeFailures.get(),
        signedSize(),
        lastCheckpointTime(),
        haltReason != null);
  }
}
