// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions accepted by a process that dies before writing them are written by the next start (over
 * a real PostgreSQL); nothing is logged twice; a committed spool is deleted.
 */
class DecisionSpoolTest {
  private static final Clock CLOCK = Clock.fixed(LogStoreTest.T0, ZoneOffset.UTC);

  @TempDir Path dir;
  private Database database;
  private LogStore store;
  private CheckpointSigner signer;
  private final List<TransparencyLog> logs = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    database = TestDatabases.fresh();
    store = new LogStore(database.jdbi());
    signer = CheckpointSigner.loadOrCreate(dir.resolve("keys"), "arbiter.example/log");
  }

  @AfterEach
  void close() {
    logs.forEach(TransparencyLog::close);
    database.close();
  }

  private TransparencyLog log() {
    TransparencyLog log =
        TransparencyLog.create(
            store,
            signer,
            TransparencyLog.Config.defaults(dir.resolve("checkpoint"))
                .withBatchDelay(Duration.ofMillis(20)),
            CLOCK);
    logs.add(log);
    return log;
  }

  private static LogEntry decision(int n) {
    return LogEntry.decision(
        new Decision(
            LogStoreTest.T0.plusSeconds(n),
            "web",
            "i-" + n,
            "sample",
            "ab".repeat(32),
            null,
            "rev-1",
            "affirming",
            List.of(),
            "jti-" + n));
  }

  private long leavesWithJti(String jti) {
    return database
        .jdbi()
        .withHandle(h ->
            h.createQuery("select count(*) from tlog_leaf where jti = :j")
                .bind("j", jti)
                .mapTo(Long.class)
                .one());
  }

  private long spooledBytes() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void spoolTo_decisionsOfAKilledProcess_areWrittenOnce_byTheNextStart() throws IOException {
    // a process accepts decisions, one of which reached the database, then dies: the writer never
    // ran for the others and close() is never called
    TransparencyLog killed = log();
    assertThat(killed.spoolTo(dir.resolve("spool"))).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(killed.append(decision(i)).accepted()).isTrue();
    }
    store.append(List.of(decision(2)), LogStoreTest.T0);
    logs.remove(killed);

    TransparencyLog next = log();
    assertThat(next.spoolTo(dir.resolve("spool"))).isEqualTo(4);
    next.start();
    next.flush();
    for (int i = 0; i < 5; i++) {
      assertThat(leavesWithJti("jti-" + i)).as("jti-" + i).isEqualTo(1);
    }
    assertThat(store.head().size()).isEqualTo(5);
    assertThat(spooledBytes()).isZero();
  }

  @Test
  void append_committedDecisions_leaveNothingSpooled() throws IOException {
    TransparencyLog log = log();
    log.spoolTo(dir.resolve("spool"));
    log.start();
    for (int i = 0; i < 50; i++) {
      assertThat(log.append(decision(i)).accepted()).isTrue();
    }
    log.flush();
    assertThat(store.head().size()).isEqualTo(50);
    assertThat(spooledBytes()).isZero();
    // and a restart finds nothing to replay
    log.close();
    assertThat(log().spoolTo(dir.resolve("spool"))).isZero();
    assertThat(store.head().size()).isEqualTo(50);
  }
}
