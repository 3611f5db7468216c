// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoked client certificates every replica shares: rows in the database, held in memory by
 * each replica and refreshed on {@code NOTIFY arbiter_certificates} (and by a full read every
 * {@code fullRefresh}, should a notification be lost). {@link #isRevoked} is a map lookup: the TLS
 * and route-authorization path issues no SQL. Close to stop listening. Thread-safe.
 */
public final class CertificateRevocations implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRevocations.class);

  /** One revocation. */
  public record Revoked(
      String fingerprint,
      String name,
      String role,
      String serial,
      Instant revokedAt,
      String revokedBy,
      String reason) {}

  private final Database database;
  private final Duration fullRefresh;
  private final Map<String, Revoked> revoked = new ConcurrentHashMap<>();
  private final Thread listener;
  private volatile boolean running = true;

  private CertificateRevocations(Database database, Duration fullRefresh) {
    this.database = database;
    this.fullRefresh = fullRefresh;
    reloadAll();
    this.listener =
        Thread.ofPlatform()
            .daemon()
            .name("arbiter-certificate-revocations")
            .unstarted(this::listen);
  }

  /** Loads the revocations and starts following them. */
  public static CertificateRevocations start(Database database, Duration fullRefresh) {
    CertificateRevocations revocations = new CertificateRevocations(database, fullRefresh);
    revocations.listener.start();
    return revocations;
  }

  /** Whether this fingerprint (lowercase hex) is revoked; in memory only. */
  public boolean isRevoked(String fingerprint) {
    return revoked.containsKey(fingerprint);
  }

  /** The revocation of a fingerprint, if any (in memory). */
  public Optional<Revoked> find(String fingerprint) {
    return Optional.ofNullable(revoked.get(fingerprint));
  }

  /**
   * Records a revocation in one transaction with {@code audit} (the caller's audit record); it
   * applies here at once, and on other replicas when they receive the notification. Returns the
   * stored revocation (the earlier one when the certificate was already revoked; then nothing is
   * written and {@code audit} is not called).
   */
  public Revoked revoke(Revoked revocation, BiConsumer<Tx, Revoked> audit) {
    Revoked stored =
        database.inTransaction(tx -> {
          Optional<Revoked> earlier = RevocationStore.find(tx, revocation.fingerprint());
          if (earlier.isPresent()) {
            return earlier.get();
          }
          RevocationStore.insert(tx, revocation);
          audit.accept(tx, revocation);
          return revocation;
        });
    revoked.put(stored.fingerprint(), stored);
    return stored;
  }

  private void reloadAll() {
    Map<String, Revoked> fresh = new java.util.HashMap<>();
    for (Revoked entry : RevocationStore.all(database)) {
      fresh.put(entry.fingerprint(), entry);
    }
    revoked.putAll(fresh); // revocations are never undone
  }

  private void listen() {
    long lastFull = System.nanoTime();
    while (running) {
      try (Connection connection = database.dataSource().getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + RevocationStore.CHANNEL);
        }
        reloadAll(); // what was revoked while this replica was not listening
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications != null && notifications.length > 0) {
            reloadAll();
          }
          if (System.nanoTime() - lastFull > fullRefresh.toNanos()) {
            reloadAll();
            lastFull = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "certificate revocation listener lost its connection ({}); retrying", e.toString());
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
    running = false; // the listener wakes at least every 500 ms
    try {
      listener.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
