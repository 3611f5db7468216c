// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.store.Database;
import dev.arbiter.testing.TestDatabase;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A database written before the transparency log: its records are adopted once, then checked. */
class LegacyRecordsTest {
  private static final Principal BOB = new Principal("bob", Role.OPERATOR, "-");
  private Database database;
  private AuditLog audit;
  private KeyRing ring;

  @BeforeEach
  void open() {
    database = TestDatabase.fresh();
    ServiceKey key = ServiceKey.generate();
    new ServiceKeyStore(database).register(key, Clock.systemUTC().instant());
    ring = KeyRing.of(key, Clock.systemUTC().instant());
    audit = new AuditLog(key, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    database.close();
  }

  private void appendRecords(int count) {
    for (int i = 0; i < count; i++) {
      int n = i;
      database.inTransaction(
          tx -> audit.append(tx, BOB, "thing.create", "a" + n, "why", Optional.empty(), Map.of()));
    }
  }

  /** What a database from before the log looks like: records, and a log without any leaf. */
  private void forgetTheLog() {
    TestDatabase.emptyTransparencyLog(database);
  }

  @Test
  void adopt_recordsWrittenBeforeTheLog_becomeLeavesOnceAndVerify() {
    appendRecords(3);
    forgetTheLog();
    assertThat(IntegrityCheck.run(database, ring).intact())
        .as("records without leaves are findings")
        .isFalse();

    int adopted = LegacyRecords.adopt(database, audit, Clock.systemUTC());

    assertThat(adopted).isEqualTo(3);
    IntegrityCheck.Report report = IntegrityCheck.run(database, ring);
    assertThat(report.findings()).isEmpty();
    assertThat(LegacyRecords.adopt(database, audit, Clock.systemUTC())).as("only once").isZero();
  }

  @Test
  void adopt_whenTheLogAlreadyHasRecords_adoptsNothingSoInsertedRowsStayFindings() {
    appendRecords(2);
    database
        .jdbi()
        .useHandle(h ->
            h.execute(
                "delete from tlog_leaf where leaf_index = (select max(leaf_index) from"
                    + " tlog_leaf)"));

    assertThat(LegacyRecords.adopt(database, audit, Clock.systemUTC())).isZero();
    assertThat(IntegrityCheck.run(database, ring).intact()).isFalse();
  }
}
