// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.store.Database;
import dev.arbiter.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet's batch writes (binary COPY of events, one array upsert of instances). */
class FleetStoreTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456789Z");

  private Database database;
  private FleetStore store;

  @BeforeEach
  void setUp() {
    database = TestDatabase.fresh();
    store = new FleetStore(database);
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  private static FleetRecorder.Event event(
      Instant at, String instance, String version, String status, String reason) {
    return new FleetRecorder.Event(
        at, "payments", instance, "sample", version, status, reason, "rev-1");
  }

  private Map<String, Object> instance(String id) {
    return database
        .jdbi()
        .withHandle(h ->
            h.createQuery(
                    "select version, status, reason, format, first_seen, last_seen from"
                        + " fleet_instance where workload = 'payments' and instance_id = :i")
                .bind("i", id)
                .mapToMap()
                .one());
  }

  @Test
  void write_storesEveryEventAndUpsertsTheLatestStatePerInstance() {
    FleetRecorder.Event first = event(T0, "vm-ü 1", "1.0", "affirming", null);
    FleetRecorder.Event other = event(T0, "vm-2", null, "failed", "evidence-invalid");
    store.write(List.of(first, other), List.of(first, other));

    // later: the instance fails without a matched version; an older event arrives late
    FleetRecorder.Event failed =
        event(T0.plusSeconds(60), "vm-ü 1", null, "failed", "reference-value-mismatch");
    FleetRecorder.Event late = event(T0.minusSeconds(60), "vm-2", "1.0", "affirming", null);
    store.write(List.of(failed, late), List.of(failed, late));

    long events =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery("select count(*) from attestation_event").mapTo(Long.class).one());
    assertThat(events).isEqualTo(4);
    Map<String, Object> vm1 = instance("vm-ü 1");
    assertThat(vm1.get("version"))
        .as("a failure without a match keeps the version")
        .isEqualTo("1.0");
    assertThat(vm1.get("status")).isEqualTo("failed");
    assertThat(vm1.get("reason")).isEqualTo("reference-value-mismatch");
    assertThat(vm1.get("first_seen").toString()).isNotEqualTo(vm1.get("last_seen").toString());
    Map<String, Object> vm2 = instance("vm-2");
    assertThat(vm2.get("version")).isEqualTo("1.0");
    assertThat(((java.sql.Timestamp) vm2.get("last_seen")).toInstant())
        .as("last_seen never moves back")
        .isEqualTo(Instant.parse("2026-03-01T12:00:00.123457Z"));
  }

  @Test
  void write_eventTimesKeepMicroseconds() {
    FleetRecorder.Event one = event(T0, "vm-1", "1.0", "affirming", null);
    store.write(List.of(one), List.of(one));
    Instant at =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery("select at from attestation_event")
                    .mapTo(java.time.OffsetDateTime.class)
                    .one())
            .toInstant();
    assertThat(at).isEqualTo(Instant.parse("2026-03-01T12:00:00.123457Z"));
  }
}
