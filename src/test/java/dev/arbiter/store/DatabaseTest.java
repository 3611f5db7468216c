// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir static Path dir;
  private static Database database;

  @BeforeAll
  static void open() {
    database = Database.open(new Database.Location.Embedded(dir.resolve("postgres")));
  }

  @AfterAll
  static void close() {
    database.close();
  }

  private static long count(String table) {
    return database
        .jdbi()
        .withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
  }

  @Test
  void open_emptyDirectory_startsEmbeddedAndMigrates() {
    long applied =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery("select count(*) from arbiter_schema_history where success")
                    .mapTo(Long.class)
                    .one());
    assertThat(applied).isPositive();
    assertThat(count("workload")).isZero();
    database.ping();
    assertThat(database.jdbcUrl()).startsWith("jdbc:postgresql://");
  }

  @Test
  void embeddedCluster_throttlesAutovacuum() {
    var delay =
        database
            .jdbi()
            .withHandle(
                h -> h.createQuery("show autovacuum_vacuum_cost_delay").mapTo(String.class).one());
    assertThat(delay).isEqualTo("20ms");
  }

  @Test
  void embeddedCluster_usesPostgresBuiltInLocale_whateverTheHostsLang() {
    // code-point order from PostgreSQL itself: no libc collation to drift under the indexes
    var locale =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select datlocprovider::text || ' ' || datlocale from pg_database where"
                            + " datname = current_database()")
                    .mapTo(String.class)
                    .one());
    assertThat(locale).isEqualTo("b C.UTF-8");
    List<String> sorted =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select v from unnest(array['b', 'a', 'B', '\u00e9', 'z']) as v order by v")
                    .mapTo(String.class)
                    .list());
    assertThat(sorted).containsExactly("B", "a", "b", "z", "\u00e9");
  }

  @Test
  void logLeafBodies_haveNoPlannerStatistics() {
    // V15: ANALYZE of the growing log does not sample and sort its bodies
    int target =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select attstattarget from pg_attribute where attrelid ="
                            + " 'tlog_leaf'::regclass and attname = 'body'")
                    .mapTo(Integer.class)
                    .one());
    assertThat(target).isZero();
  }

  @Test
  void inTransaction_workReturns_commits() {
    String id =
        database.inTransaction(tx -> {
          insertKey(tx, "committed");
          return "committed";
        });
    assertThat(id).isEqualTo("committed");
    long rows =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery("select count(*) from service_key where key_id = 'committed'")
                    .mapTo(Long.class)
                    .one());
    assertThat(rows).isOne();
  }

  @Test
  void inTransaction_workThrows_rollsBackEverything() {
    long before = count("service_key");
    assertThatThrownBy(() ->
            database.useTransaction(tx -> {
              insertKey(tx, "rolled-back-1");
              insertKey(tx, "rolled-back-2");
              throw new IllegalStateException("boom");
            }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    assertThat(count("service_key")).isEqualTo(before);
  }

  @Test
  void open_schemaNewerThanThisBuild_isRefused() {
    String url = TestDatabase.freshUrl();
    try (Database fresh = Database.open(new Database.Location.External(url))) {
      fresh
          .jdbi()
          .useHandle(h ->
              h.execute(
                  "insert into arbiter_schema_history(installed_rank, version, description, type,"
                      + " script, checksum, installed_by, installed_on, execution_time, success)"
                      + " values (9999, '9999', 'from the future', 'SQL', 'V9999__future.sql', 0,"
                      + " 'test', now(), 0, true)"));
    }
    assertThatThrownBy(() -> Database.open(new Database.Location.External(url)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("newer than this Arbiter");
  }

  @Test
  void open_withoutMigrating_olderSchema_isRefusedAndNothingChanges() {
    String url = TestDatabase.freshUrl();
    assertThatThrownBy(() -> Database.open(new Database.Location.External(url), false))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("older than this Arbiter");
    try (Database migrated = Database.open(new Database.Location.External(url))) {
      long workloads =
          migrated
              .jdbi()
              .withHandle(
                  h -> h.createQuery("select count(*) from workload").mapTo(Long.class).one());
      assertThat(workloads).isZero();
    }
  }

  @Test
  void open_badUrl_isRefusedWithAStoreException() {
    assertThatThrownBy(() -> Database.open(new Database.Location.External("mysql://nowhere/db")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void localDatabase_noEmbeddedCluster_saysWhereItLooked(@TempDir Path empty) {
    assertThatThrownBy(() -> LocalDatabase.withReadOnly(empty.resolve("postgres"), db -> 1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no embedded database in " + empty);
  }

  private static void insertKey(Tx tx, String keyId) {
    tx.handle()
        .createUpdate(
            "insert into service_key(key_id, public_jwk, created_at) values (:k, '{}', :at)")
        .bind("k", keyId)
        .bind("at", Instant.now())
        .execute();
  }
}
