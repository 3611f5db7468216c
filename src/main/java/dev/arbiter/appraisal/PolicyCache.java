// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Jcs;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.PolicyRevision;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.policy.Version;
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
 * {@link PolicyService#CHANNEL}) with a periodic full refresh as a safety net. Version content is
 * checked against the content hash the revision names before it is trusted. Thread-safe.
 */
public final class PolicyCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);

  private final Database database;
  private final PolicyService policyService;
  private final BiFunction<String, String, List<String>> vulnerabilities;
  private final Duration fullRefresh;
  private final Map<String, CompiledPolicy> policies = new ConcurrentHashMap<>();
  private final Thread listener;
  private volatile boolean running = true;
  private volatile Duration pickupDelay = Duration.ZERO;
  private volatile boolean loaded;
  private final Object changed = new Object();

  /**
   * @param database where to LISTEN for {@link PolicyService#CHANNEL}
   * @param policyService reads revisions and versions
   * @param vulnerabilities (workload, version) to known vulnerability ids, read when a revision is
   *     loaded (never on the hot path)
   */
  public PolicyCache(
      Database database,
      PolicyService policyService,
      BiFunction<String, String, List<String>> vulnerabilities,
      Duration fullRefresh) {
    this.database = database;
    this.policyService = policyService;
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

  /** The current compiled policy of a workload, if the workload exists. No I/O. */
  public Optional<CompiledPolicy> get(String workload) {
    return Optional.ofNullable(policies.get(workload));
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
        if (current == null || current.seq() < head.seq()) {
          loaded(head.workload(), compile(head));
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
    PolicyRevision head = policyService.current(workload);
    CompiledPolicy current = policies.get(workload);
    if (current == null || current.seq() <= head.seq()) {
      loaded(workload, compile(head));
    }
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
        LOG.error(
            "version {}@{} does not match the content hash in revision #{}; not accepting it",
            revision.workload(),
            label,
            revision.seq());
        continue;
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
              List.copyOf(vulnerabilities.apply(revision.workload(), label))));
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
            for (PGNotification notification : notifications) {
              reload(notification.getParameter());
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
