// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.internal.Jcs;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory copy of every workload's current policy revision that appraisal reads, so the hot
 * path never touches the database. Follows new revisions through PostgreSQL LISTEN/NOTIFY (channel
 * {@link PolicyService#CHANNEL}) with a periodic full refresh as a safety net.
 *
 * <p>Nothing is enforced before it is verified against the pinned {@link KeyRing}: each revision's
 * hash (RFC 8785 body), its signature under a pinned key, its link to the revision before it (the
 * whole chain on first load, then every new revision since the last verified one; a head older than
 * one already verified is a rollback), and the content of every version it accepts against the
 * {@code content_hash} it commits to (reference values, configuration). A workload whose revision
 * fails any check is refused — {@link #get} throws {@link AppraisalProblem#POLICY_UNVERIFIED}, the
 * failure is logged and counted ({@link #integrityFailures}) — until a revision that verifies
 * replaces it; it is never served from the broken rows nor from an older revision. The same holds
 * for the supply-chain state compiled in (each accepted version's findings and the workload's
 * supply-chain policy): the vulnerability source checks it against the signed audit records that
 * commit to it ({@link Vulnerabilities#unverified}). Thread-safe.
 */
public final class PolicyCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);

  private final Database database;
  private final PolicyService policyService;
  private final BiFunction<String, String, Vulnerabilities> vulnerabilities;
  private final Duration fullRefresh;
  private final KeyRing ring;
  private final Map<String, CompiledPolicy> policies = new ConcurrentHashMap<>();
  private final Map<String, String> refused = new ConcurrentHashMap<>();
  private final Map<String, PolicyRevision> verified = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong integrityFailures =
      new java.util.concurrent.atomic.AtomicLong();
  private final Thread listener;
  private volatile boolean running = true;
  private volatile Duration pickupDelay = Duration.ZERO;
  private volatile boolean loaded;
  private final Object changed = new Object();

  /**
   * @param database where to LISTEN for {@link PolicyService#CHANNEL}
   * @param policyService reads revisions and versions
   * @param ring the pinned keys every revision must be signed by
   * @param vulnerabilities (workload, version) to the known vulnerability ids its supply-chain
   *     state blocks, verified against what signed audit records commit to, read when a revision is
   *     loaded (never on the hot path)
   */
  public PolicyCache(
      Database database,
      PolicyService policyService,
      KeyRing ring,
      BiFunction<String, String, Vulnerabilities> vulnerabilities,
      Duration fullRefresh) {
    this.database = database;
    this.policyService = policyService;
    this.ring = ring;
    this.vulnerabilities = vulnerabilities;
    this.fullRefresh = fullRefresh;
    reloadAll();
    this.listener =
        Thread.ofPlatform().name("arbiter-policy-listener").daemon(true).unstarted(this::listen);
    listener.start();
  }

  /** Whether every workload's head revision has been loaded once (readiness). No I/O. */
  public boolean isLoaded() {
    return loaded;
  }

  /**
   * What the vulnerability source says about one accepted version: the OSV ids its workload's
   * supply-chain policy blocks, or why its supply-chain state (findings, policy) does not match
   * what signed records commit to — then the workload fails closed like a broken revision.
   */
  public record Vulnerabilities(List<String> blocking, Optional<String> unverified) {
    public Vulnerabilities {
      blocking = List.copyOf(blocking);
    }

    public static Vulnerabilities verified(List<String> blocking) {
      return new Vulnerabilities(blocking, Optional.empty());
    }

    public static Vulnerabilities unverified(String reason) {
      return new Vulnerabilities(List.of(), Optional.of(reason));
    }
  }

  /**
   * The current compiled policy of a workload, if the workload exists. No I/O.
   *
   * @throws ProblemException {@link AppraisalProblem#POLICY_UNVERIFIED} when the workload's policy
   *     failed its integrity check (fail closed)
   */
  public Optional<CompiledPolicy> get(String workload) {
    if (!refused.isEmpty() && refused.containsKey(workload)) {
      throw new ProblemException(
          AppraisalProblem.POLICY_UNVERIFIED,
          "the policy of "
              + workload
              + " failed its integrity check on this replica; attestations are refused until it"
              + " is repaired");
    }
    return Optional.ofNullable(policies.get(workload));
  }

  /** Workloads refused because their policy failed its integrity check, with the reason. */
  public Map<String, String> refusedWorkloads() {
    return Map.copyOf(refused);
  }

  /** How many times a revision or version failed its integrity check (the alert metric). */
  public long integrityFailures() {
    return integrityFailures.get();
  }

  /** Workload to the revision hash this replica serves (for heartbeats and rollout waits). */
  public Map<String, String> servedRevisions() {
    Map<String, String> out = new java.util.TreeMap<>();
    policies.forEach((workload, policy) -> out.put(workload, policy.revisionHash()));
    return out;
  }

  /** Workload to the sequence number of the revision this replica serves. */
  public Map<String, Long> servedSequences() {
    Map<String, Long> out = new java.util.TreeMap<>();
    policies.forEach((workload, policy) -> out.put(workload, policy.seq()));
    return out;
  }

  /**
   * Blocks until this replica serves revision {@code seq} (or a newer one) of {@code workload}, or
   * {@code timeout} passes; true when it does. Woken by every load, so there is no polling.
   */
  public boolean awaitServed(String workload, long seq, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (true) {
        CompiledPolicy current = policies.get(workload);
        if (current != null && current.seq() >= seq) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
    }
  }

  private void loaded(String workload, CompiledPolicy policy) {
    policies.put(workload, policy);
    refused.remove(workload);
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Test hook: delay picking up notifications (simulates a slow replica). */
  public void setPickupDelay(Duration delay) {
    this.pickupDelay = delay;
  }

  /** Reloads every workload's head revision. */
  public void reloadAll() {
    try {
      List<PolicyRevision> heads = policyService.heads();
      for (PolicyRevision head : heads) {
        CompiledPolicy current = policies.get(head.workload());
        if (current == null
            || current.seq() < head.seq()
            || refused.containsKey(head.workload())
            || !current.revisionHash().equals(head.hash())) {
          load(head);
        }
      }
      loaded = true;
    } catch (RuntimeException e) {
      LOG.error("policy cache refresh failed; serving the last known revisions", e);
    }
  }

  /**
   * Reloads one workload's head revision. The same revision is compiled again too, because what it
   * compiles to can change without a new revision (vulnerability findings of accepted versions).
   */
  public void reload(String workload) {
    load(policyService.current(workload));
  }

  /** Verifies {@code head} (and the chain up to it), then compiles and serves it, or refuses. */
  private void load(PolicyRevision head) {
    Optional<String> broken = verifyChain(head);
    if (broken.isEmpty()) {
      try {
        loaded(head.workload(), compile(head));
        return;
      } catch (BrokenRevision e) {
        broken = Optional.of(e.getMessage());
      }
    }
    integrityFailures.incrementAndGet();
    String previous = refused.put(head.workload(), broken.get());
    policies.remove(head.workload());
    if (!broken.get().equals(previous)) {
      LOG.error(
          "policy integrity: refusing workload {} (revision #{}): {}",
          head.workload(),
          head.seq(),
          broken.get());
    }
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** A version a revision accepts does not have the content the revision committed to. */
  private static final class BrokenRevision extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokenRevision(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Checks {@code head}: hash, signature under a pinned key, and its chain back to the last
   * revision this replica verified (the whole chain the first time). Empty when it verifies.
   */
  private Optional<String> verifyChain(PolicyRevision head) {
    PolicyRevision known = verified.get(head.workload());
    if (known != null && known.seq() == head.seq()) {
      if (!known.hash().equals(head.hash())) {
        return Optional.of(
            "revision #" + head.seq() + " differs from the one verified before (rewritten)");
      }
      return check(head);
    }
    if (known != null && known.seq() > head.seq()) {
      return Optional.of(
          "the head revision #"
              + head.seq()
              + " is older than #"
              + known.seq()
              + " verified before (rows deleted or restored from an older backup)");
    }
    long from = known == null ? 0 : known.seq();
    String previousHash = known == null ? null : known.hash();
    long expected = from + 1;
    PolicyRevision last = known;
    for (PolicyRevision revision : policyService.revisionsAfter(head.workload(), from)) {
      if (revision.seq() <= from) {
        continue;
      }
      if (revision.seq() > head.seq()) {
        break;
      }
      if (revision.seq() != expected) {
        return Optional.of("revision #" + expected + " is missing before #" + revision.seq());
      }
      if (!java.util.Objects.equals(revision.prev(), previousHash)) {
        return Optional.of(
            "revision #" + revision.seq() + " does not link to the revision before it");
      }
      Optional<String> problem = check(revision);
      if (problem.isPresent()) {
        return problem;
      }
      previousHash = revision.hash();
      expected = revision.seq() + 1;
      last = revision;
    }
    if (last == null || last.seq() != head.seq() || !last.hash().equals(head.hash())) {
      return Optional.of("revision #" + head.seq() + " is not on the verified chain");
    }
    verified.put(head.workload(), last);
    return Optional.empty();
  }

  /** Hash, signature and the body's own workload/seq/prev of one revision. */
  private Optional<String> check(PolicyRevision revision) {
    List<String> problems =
        ring.problemsOf(revision.body(), revision.hash(), revision.keyId(), revision.signature());
    if (!problems.isEmpty()) {
      return Optional.of("revision #" + revision.seq() + ": " + String.join("; ", problems));
    }
    var body = revision.body();
    var prev = body.get("prev");
    if (!revision.workload().equals(body.path("workload").asText(null))
        || body.path("seq").asLong(-1) != revision.seq()
        || !java.util.Objects.equals(
            prev == null || prev.isNull() ? null : prev.asText(), revision.prev())) {
      return Optional.of(
          "revision #" + revision.seq() + ": its body's workload/seq/prev differ from the row");
    }
    return Optional.empty();
  }

  private CompiledPolicy compile(PolicyRevision revision) {
    List<CompiledPolicy.AcceptedVersion> versions = new ArrayList<>();
    for (var entry : revision.body().path("accepted")) {
      String label = entry.path("version").asText();
      String expectedHash = entry.path("content_hash").asText();
      Optional<Version> version = policyService.findVersion(revision.workload(), label);
      if (version.isEmpty()
          || !version.get().contentHash().equals(expectedHash)
          || !dev.arbiter.internal.Hex.encode(
                  Digests.sha256(Jcs.canonicalize(version.get().content())))
              .equals(expectedHash)) {
        throw new BrokenRevision(
            "version "
                + label
                + (version.isEmpty()
                    ? " accepted by revision #" + revision.seq() + " is not stored"
                    : " does not have the content revision #"
                        + revision.seq()
                        + " committed to (reference values or configuration edited)"));
      }
      Vulnerabilities found = vulnerabilities.apply(revision.workload(), label);
      if (found.unverified().isPresent()) {
        throw new BrokenRevision(
            "the supply-chain state of version " + label + " " + found.unverified().get());
      }
      var values = version.get().referenceValues();
      Optional<ObjectNode> configuration = values.configuration();
      versions.add(
          new CompiledPolicy.AcceptedVersion(
              label,
              expectedHash,
              values,
              configuration.map(c -> Digests.sha256(Jcs.canonicalize(c))),
              configuration.map(c -> Digests.sha384(Jcs.canonicalize(c))),
              found.blocking()));
    }
    Optional<CelPolicy> appraisal =
        revision
            .appraisal()
            .flatMap(cel -> {
              CelPolicy.Compiled compiled = CelPolicy.compile(cel, CelPolicy.APPRAISAL_VARIABLES);
              if (compiled.policy().isEmpty()) {
                LOG.error(
                    "stored appraisal policy of {} does not compile ({}); denying every"
                        + " attestation",
                    revision.workload(),
                    compiled.error());
                return CelPolicy.compile("false", CelPolicy.APPRAISAL_VARIABLES).policy();
              }
              return compiled.policy();
            });
    return new CompiledPolicy(
        revision.workload(), revision.seq(), revision.hash(), List.copyOf(versions), appraisal);
  }

  private void listen() {
    long lastFull = System.nanoTime();
    while (running) {
      try (Connection connection = database.dataSource().getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + PolicyService.CHANNEL);
        }
        reloadAll();
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications != null && notifications.length > 0) {
            Duration delay = pickupDelay;
            if (!delay.isZero()) {
              Thread.sleep(delay.toMillis());
            }
            // one reload per workload however many changes arrived meanwhile: a busy workload
            // does not delay the others' changes behind a queue of its own
            java.util.Set<String> workloads = new java.util.LinkedHashSet<>();
            for (PGNotification notification : notifications) {
              workloads.add(notification.getParameter());
            }
            for (String workload : workloads) {
              reload(workload);
            }
          }
          if (System.nanoTime() - lastFull > fullRefresh.toNanos()) {
            reloadAll();
            lastFull = System.nanoTime();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn("policy listener lost its connection ({}); retrying", e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    listener.interrupt();
    try {
      listener.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
