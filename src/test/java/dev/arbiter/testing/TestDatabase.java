// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import dev.arbiter.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fresh, migrated databases for store and service tests without an HTTP server: one embedded
 * PostgreSQL cluster per test JVM (started on first use, stopped and its directory deleted at
 * exit), one new database in it per {@link #fresh()} call.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres cluster;
  private static Path directory;

  private TestDatabase() {}

  /** A new, empty, migrated database. Close it when done. */
  public static Database fresh() {
    return Database.open(new Database.Location.External(freshUrl()));
  }

  /** The JDBC URL of a new, empty database that has not been migrated. */
  public static String freshUrl() {
    EmbeddedPostgres postgres = cluster();
    String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (var connection = postgres.getPostgresDatabase().getConnection();
        var statement = connection.createStatement()) {
      statement.execute("create database " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  private static synchronized EmbeddedPostgres cluster() {
    if (cluster == null) {
      try {
        directory = Files.createTempDirectory("arbiter-testdb-");
        cluster =
            EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("pgdata"))
                .setOverrideWorkingDirectory(directory.resolve("pgbin").toFile())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop));
    }
    return cluster;
  }

  /** Stops the shared cluster and deletes it (at the end of the test run; idempotent). */
  static synchronized void stop() {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (IOException e) {
      // going away with the JVM anyway
    }
    cluster = null;
    deleteRecursively(directory);
  }

  /** Deletes a directory tree, best effort. */
  public static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(path -> {
            try {
              Files.deleteIfExists(path);
            } catch (IOException e) {
              // best effort
            }
          });
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * As the database owner, empties the transparency log (leaves, subtrees, checkpoints, head) as a
   * restored backup from before the log, or an attacker, would leave it.
   */
  public static void emptyTransparencyLog(Database database) {
    database
        .jdbi()
        .useHandle(h -> {
          h.execute("delete from tlog_leaf");
          h.execute("delete from tlog_subtree");
          h.execute("delete from tlog_checkpoint");
          h.execute(
              "update tlog_head set tree_size = 0, root_hash = decode("
                  + "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex')");
        });
  }
}
