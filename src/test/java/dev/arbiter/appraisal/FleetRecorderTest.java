// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.store.Database;
import dev.arbiter.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet writer's batching: what arrives within the linger is one batch; flush and close. */
class FleetRecorderTest {
  private Database database;
  private FleetRecorder recorder;
  private final List<List<FleetRecorder.Event>> batches = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    database = TestDatabase.fresh();
    recorder = new FleetRecorder(database, 1000);
    recorder.addListener(batches::add);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
    database.close();
  }

  private static FleetRecorder.Event event(String instance) {
    return new FleetRecorder.Event(
        Instant.parse("2026-03-01T12:00:00Z"),
        "payments",
        instance,
        "sample",
        "1.0",
        "affirming",
        null,
        "rev-1");
  }

  private long storedEvents() {
    return database
        .jdbi()
        .withHandle(
            h -> h.createQuery("select count(*) from attestation_event").mapTo(Long.class).one());
  }

  @Test
  void record_eventsArrivingWithinTheLinger_areWrittenAsOneBatch() throws Exception {
    recorder.pause();
    Thread.sleep(300); // the writer leaves its 200 ms wait for a first event and sees the pause
    for (int i = 0; i < 6; i++) {
      assertThat(recorder.record(event("i-" + i))).isTrue();
    }

    recorder.resume();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (recorder.written() < 6 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).extracting(FleetRecorder.Event::instanceId).hasSize(6);
    assertThat(storedEvents()).isEqualTo(6);
  }

  @Test
  void flush_cutsTheLingerShort() throws Exception {
    recorder.record(event("i-0"));

    long started = System.nanoTime();
    recorder.flush(10_000);

    assertThat(storedEvents()).isEqualTo(1);
    assertThat(recorder.pending()).isZero();
    // the linger is 100 ms; a flush that waited for it would still pass, so check the writer
    // did not sit out a 10 s timeout either
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void close_writesWhatIsQueued() {
    recorder.pause();
    for (int i = 0; i < 3; i++) {
      recorder.record(event("i-" + i));
    }

    recorder.close();

    assertThat(storedEvents()).isEqualTo(3);
    assertThat(recorder.dropped()).isZero();
  }

  @Test
  void record_pastTheQueueBound_isDroppedAndCounted() {
    recorder.close(); // nothing drains the queue any more
    for (int i = 0; i < 1000; i++) {
      assertThat(recorder.record(event("i-" + i))).isTrue();
    }

    assertThat(recorder.record(event("one-too-many"))).isFalse();
    assertThat(recorder.dropped()).isEqualTo(1);
    assertThat(recorder.pending()).isEqualTo(1000);
  }
}
