// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The system of record: PostgreSQL, either embedded (real PostgreSQL binaries, data under the data
 * directory, persistent across restarts, reached only over its Unix socket) or external ({@code
 * --database-url}). Opening migrates the schema with Flyway and refuses a schema newer than this
 * build knows. Thread-safe; close once.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Optional<EmbeddedCluster> embedded;

  private Database(HikariDataSource dataSource, Optional<EmbeddedCluster> embedded) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    this.jdbi.setTransactionHandler(new PreCommit(this.jdbi.getTransactionHandler()));
  }

  /** Where the database is. */
  public sealed interface Location {
    /** Embedded PostgreSQL with its cluster in {@code directory}. */
    record Embedded(Path directory) implements Location {}

    /**
     * An external server: a JDBC URL ({@code jdbc:postgresql://...}) or a {@code postgres://} URL.
     */
    record External(String url) implements Location {}

    /**
     * The embedded cluster of {@code directory}, already running (started by a server): reached on
     * the Unix socket its {@code postmaster.pid} names.
     */
    record EmbeddedRunning(Path directory) implements Location {}
  }

  /** Opens (starting the embedded server when needed) and migrates. */
  public static Database open(Location location) {
    return open(location, true);
  }

  /**
   * Opens the database. With {@code migrate} false the schema is only checked (used by {@code audit
   * verify}, which must not change anything).
   */
  public static Database open(Location location, boolean migrate) {
    Optional<EmbeddedCluster> embedded = Optional.empty();
    HikariConfig config = new HikariConfig();
    config.setPoolName("arbiter");
    config.setMaximumPoolSize(Integer.getInteger("arbiter.db.pool", 16));
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(15_000);
    try {
      switch (location) {
        case Location.Embedded e -> {
          EmbeddedCluster cluster = EmbeddedCluster.start(e.directory());
          embedded = Optional.of(cluster);
          config.setJdbcUrl(cluster.jdbcUrl());
          config.setUsername(EmbeddedCluster.APP_ROLE);
          config.setPassword(cluster.appPassword());
        }
        case Location.EmbeddedRunning r -> {
          config.setJdbcUrl(EmbeddedCluster.jdbcUrl(EmbeddedCluster.runningSocket(r.directory())));
          config.setUsername(EmbeddedCluster.APP_ROLE);
          config.setPassword(EmbeddedCluster.credentials(r.directory()).appPassword());
        }
        case Location.External x -> applyUrl(config, x.url());
      }
    } catch (IOException ioe) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL: " + ioe.getMessage(), ioe);
    }
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      embedded.ifPresent(Database::closeQuietly);
      throw new StoreException("cannot connect to PostgreSQL: " + e.getMessage(), e);
    }
    Database database = new Database(dataSource, embedded);
    try {
      database.migrate(migrate);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  private static void applyUrl(HikariConfig config, String url) {
    if (url.startsWith("jdbc:")) {
      config.setJdbcUrl(url);
      return;
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      java.net.URI uri = java.net.URI.create(url);
      String jdbc =
          "jdbc:postgresql://"
              + uri.getHost()
              + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
              + uri.getPath()
              + (uri.getQuery() == null ? "" : "?" + uri.getQuery());
      config.setJdbcUrl(jdbc);
      if (uri.getUserInfo() != null) {
        String[] parts = uri.getUserInfo().split(":", 2);
        config.setUsername(
            java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8));
        if (parts.length == 2) {
          config.setPassword(
              java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return;
    }
    throw new StoreException(
        "database URL must start with jdbc:postgresql:// or postgres://", null);
  }

  private void migrate(boolean apply) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .table("arbiter_schema_history")
            .load();
    for (MigrationInfo info : flyway.info().all()) {
      if (info.getState() == MigrationState.FUTURE_SUCCESS
          || info.getState() == MigrationState.FUTURE_FAILED) {
        throw new StoreException(
            "the database schema (version "
                + info.getVersion()
                + ") is newer than this Arbiter knows; upgrade Arbiter",
            null);
      }
    }
    if (apply) {
      flyway.migrate();
    } else if (flyway.info().pending().length > 0) {
      throw new StoreException(
          "the database schema is older than this Arbiter; start the server once to migrate it",
          null);
    }
  }

  /** The Jdbi of this database; for store classes only ({@code ArchitectureTest} checks it). */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Runs {@code work} in one transaction (committed when it returns, rolled back when it throws).
   */
  public <T> T inTransaction(Tx.Work<T> work) {
    return jdbi.inTransaction(
        TransactionIsolationLevel.READ_COMMITTED, handle -> work.run(new Tx(handle)));
  }

  /**
   * Runs read-only {@code work} against one snapshot of the whole database ({@code REPEATABLE
   * READ}): every statement sees the same committed state, so a check that reads several tables
   * (the integrity check, the log audit) never sees a writer's commit half-way through.
   */
  public <T> T inSnapshot(Tx.Work<T> work) {
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        handle -> {
          handle.execute("set transaction read only");
          return work.run(new Tx(handle));
        });
  }

  /** Runs {@code work} in one transaction that returns nothing. */
  public void useTransaction(Tx.Action work) {
    inTransaction(tx -> {
      work.run(tx);
      return null;
    });
  }

  /**
   * Whether {@code failure} (or a cause of it) says the database cannot be reached right now: a
   * connection that broke or could not be made (SQLSTATE class 08, a pool timeout), a server
   * shutting down or starting up (57P01-57P03), or a session that landed on a read-only standby
   * (25006) — what a primary failover looks like from here. The request may be retried once the new
   * primary is reachable; the HTTP layer answers these with a typed 503 and Retry-After. A commit
   * whose connection broke is reported the same way: it may or may not have been applied, so
   * writers that retry must detect their own earlier success (a policy change retried with its
   * {@code base_revision} gets a 409 when the first attempt committed).
   */
  public static boolean isUnavailable(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      // a rollback or reset that failed after the real failure carries it as suppressed
      for (Throwable suppressed : t.getSuppressed()) {
        if (suppressed != t && isUnavailableOne(suppressed)) {
          return true;
        }
      }
      if (isUnavailableOne(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailableOne(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      // HikariCP's proxy of a connection it already evicted as broken (no SQLSTATE)
      if (t instanceof java.sql.SQLException sql
          && sql.getSQLState() == null
          && "Connection is closed".equals(sql.getMessage())) {
        return true;
      }
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof java.net.SocketException
          || t instanceof java.io.EOFException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("25006")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Throws when the database does not answer (liveness). */
  public void ping() {
    jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one());
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The JDBC URL in use (for child processes and diagnostics; holds no password). */
  public String jdbcUrl() {
    return dataSource.getJdbcUrl();
  }

  /**
   * A URL another replica (or a tool) of the same operator can open this database with: for the
   * embedded cluster it carries Arbiter's role and its password, so treat it as a secret and never
   * log it; for an external database it is the URL given.
   */
  public String replicaUrl() {
    if (embedded.isEmpty()) {
      return dataSource.getJdbcUrl();
    }
    String url = dataSource.getJdbcUrl();
    return url
        + (url.contains("?") ? "&" : "?")
        + "user="
        + dataSource.getUsername()
        + "&password="
        + java.net.URLEncoder.encode(
            dataSource.getPassword(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    dataSource.close();
    embedded.ifPresent(Database::closeQuietly);
  }

  private static void closeQuietly(EmbeddedCluster cluster) {
    cluster.stop();
  }
}
