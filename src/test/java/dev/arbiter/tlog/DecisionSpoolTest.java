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
    // the killed process's segments are gone; the new one's hold nothing yet
    assertThat(new DecisionSpoolFiles(dir.resolve("spool")).lines()).isEmpty();
  }

  @Test
  void append_committedDecisions_areNotReplayed_andACleanCloseLeavesNothing() throws IOException {
    TransparencyLog log = log();
    log.spoolTo(dir.resolve("spool"));
    log.start();
    for (int i = 0; i < 50; i++) {
      assertThat(log.append(decision(i)).accepted()).isTrue();
    }
    log.flush();
    assertThat(store.head().size()).isEqualTo(50);
    // the active segment still holds the committed lines until a later mark passes it: a process
    // killed now leaves them, and the next start finds them all in the log
    assertThat(new DecisionSpoolFiles(dir.resolve("spool")).lines()).hasSize(50);
    TransparencyLog afterKill = log();
    assertThat(afterKill.spoolTo(dir.resolve("spool"))).isZero();
    assertThat(store.head().size()).isEqualTo(50);
    afterKill.close();
    log.close();
    assertThat(spooledBytes()).isZero();
    assertThat(log().spoolTo(dir.resolve("spool"))).isZero();
    assertThat(store.head().size()).isEqualTo(50);
  }

  @Test
  void segments_fullOnes_areDeletedOnceCommitted_andEveryLineIsRecovered() throws IOException {
    // one-page segments: ~10 decisions each, so 200 decisions cross ~20 segments
    DecisionSpool spool = DecisionSpool.open(dir.resolve("spool"), 4096);
    for (int i = 0; i < 200; i++) {
      spool.add(decision(i));
      if (i % 37 == 0) {
        spool.prepareNext();
      }
    }
    assertThat(segmentCount()).isGreaterThan(15);
    assertThat(DecisionSpool.open(dir.resolve("spool"), 4096).recovered())
        .extracting(LogEntry::leafText)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> decision(i).leafText())
                .toList());
    long mark = spool.mark();
    spool.release(mark);
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      // the marked (active) segment stays, with those mapped after it; everything before is gone
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains("spool-" + mark + ".jsonl")
          .allSatisfy(name ->
              assertThat(Long.parseLong(name.replaceAll("\\D", ""))).isGreaterThanOrEqualTo(mark));
    }
  }

  @Test
  void open_aLineCutShortByAKill_isSkipped_theOthersRecovered() throws IOException {
    DecisionSpool spool = DecisionSpool.open(dir.resolve("spool"), 8192);
    spool.add(decision(1));
    spool.add(decision(2));
    Path segment;
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      segment = files.findFirst().orElseThrow();
    }
    // a process killed while copying the third line: a prefix of it, then the zeroed tail
    byte[] bytes = Files.readAllBytes(segment);
    int end = 0;
    while (bytes[end] != 0) {
      end++;
    }
    byte[] third = decision(3).leafDataShared();
    System.arraycopy(third, 0, bytes, end, third.length / 2);
    Files.write(segment, bytes);
    assertThat(DecisionSpool.open(dir.resolve("spool"), 8192).recovered())
        .extracting(LogEntry::leafText)
        .containsExactly(decision(1).leafText(), decision(2).leafText());
  }

  @Test
  void add_aLineLongerThanASegment_getsASegmentOfItsOwn() throws IOException {
    DecisionSpool spool = DecisionSpool.open(dir.resolve("spool"), 4096);
    LogEntry big =
        LogEntry.decision(
            new Decision(
                LogStoreTest.T0,
                "web",
                "i-big",
                "sample",
                "ab".repeat(32),
                null,
                "rev-1",
                "contraindicated",
                List.of("x".repeat(10_000)),
                "jti-big"));
    spool.add(decision(1));
    spool.add(big);
    spool.add(decision(2));
    assertThat(DecisionSpool.open(dir.resolve("spool"), 4096).recovered())
        .extracting(LogEntry::leafText)
        .containsExactly(decision(1).leafText(), big.leafText(), decision(2).leafText());
  }

  private long segmentCount() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      return files.count();
    }
  }

  /** The lines in the spool's segments up to each one's zeroed tail. */
  private record DecisionSpoolFiles(Path directory) {
    List<String> lines() throws IOException {
      List<String> lines = new ArrayList<>();
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.sorted().toList()) {
          String text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
          int zero = text.indexOf('\0');
          for (String line : (zero < 0 ? text : text.substring(0, zero)).split("\n")) {
            if (!line.isEmpty()) {
              lines.add(line);
            }
          }
        }
      }
      return lines;
    }
  }
}
