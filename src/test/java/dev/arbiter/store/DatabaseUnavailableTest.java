// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** What counts as "the database is unavailable" (a failover): answered 503, retried by writers. */
class DatabaseUnavailableTest {
  private static RuntimeException wrapped(Throwable cause) {
    // as Jdbi and the services wrap it
    return new IllegalStateException("outer", new RuntimeException("middle", cause));
  }

  @Test
  void isUnavailable_connectionFailures_shutdownsAndStandbys_areUnavailable() {
    assertThat(Database.isUnavailable(wrapped(new SQLException("io", "08006")))).isTrue();
    assertThat(Database.isUnavailable(wrapped(new SQLException("refused", "08001")))).isTrue();
    assertThat(Database.isUnavailable(wrapped(new SQLException("admin shutdown", "57P01"))))
        .isTrue();
    assertThat(Database.isUnavailable(wrapped(new SQLException("starting up", "57P03")))).isTrue();
    assertThat(Database.isUnavailable(wrapped(new SQLException("read-only", "25006")))).isTrue();
    assertThat(
            Database.isUnavailable(wrapped(new SQLTransientConnectionException("pool timed out"))))
        .isTrue();
    assertThat(Database.isUnavailable(wrapped(new java.io.EOFException()))).isTrue();
    assertThat(Database.isUnavailable(wrapped(new java.net.ConnectException("refused")))).isTrue();
  }

  @Test
  void isUnavailable_otherErrors_areNot() {
    assertThat(Database.isUnavailable(wrapped(new SQLException("unique", "23505")))).isFalse();
    assertThat(Database.isUnavailable(wrapped(new SQLException("serialization", "40001"))))
        .isFalse();
    assertThat(Database.isUnavailable(wrapped(new SQLException("no state")))).isFalse();
    assertThat(Database.isUnavailable(new IllegalArgumentException("bug"))).isFalse();
    assertThat(Database.isUnavailable(null)).isFalse();
  }
}
