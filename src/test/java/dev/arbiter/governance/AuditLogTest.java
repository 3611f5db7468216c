// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.store.Database;
import dev.arbiter.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log and service-key store over a real database, without HTTP (a fresh database per
 * test).
 */
class AuditLogTest {
  private static final Principal BOB = new Principal("bob", Role.OPERATOR, "-");
  private Database database;
  private ServiceKey key;
  private KeyRing ring;
  private AuditLog audit;

  @BeforeEach
  void open() {
    database = TestDatabase.fresh();
    key = ServiceKey.generate();
    new ServiceKeyStore(database).register(key, Clock.systemUTC().instant());
    ring = KeyRing.of(key, Clock.systemUTC().instant());
    audit = new AuditLog(key, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void append_twice_chainsBySeqAndPrevAndVerifies() {
    AuditRecord first =
        database.inTransaction(tx ->
            audit.append(tx, BOB, "thing.create", "a", "why", Optional.empty(), Map.of("n", 1)));
    AuditRecord second =
        database.inTransaction(tx ->
            audit.append(tx, "tee:abc", "thing.touch", "b", "", Optional.of("rev"), Map.of()));
    assertThat(first.seq()).isOne();
    assertThat(first.prev()).isNull();
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prev()).isEqualTo(first.hash());
    assertThat(second.body().path("principal").asText()).isEqualTo("tee:abc");
    assertThat(second.body().path("revision").asText()).isEqualTo("rev");
    assertThat(first.body().path("principal").asText()).isEqualTo("operator:bob");
    assertThat(first.keyId()).isEqualTo(key.keyId());
    IntegrityCheck.Report report = IntegrityCheck.run(database, ring);
    assertThat(report.intact()).isTrue();
    assertThat(report.auditRecordsChecked()).isEqualTo(2);
  }

  @Test
  void append_inARolledBackTransaction_leavesNoRecordAndNoGap() {
    assertThatThrownBy(() ->
            database.useTransaction(tx -> {
              audit.append(tx, BOB, "thing.create", "gone", "why", Optional.empty(), Map.of());
              throw new IllegalStateException("the change failed");
            }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(AuditLog.list(database, 0, 100, Optional.empty())).isEmpty();
    AuditRecord kept =
        database.inTransaction(
            tx -> audit.append(tx, BOB, "thing.create", "kept", "why", Optional.empty(), Map.of()));
    assertThat(kept.seq()).isOne();
  }

  @Test
  void list_afterLimitAndTarget_pagesAndFilters() {
    for (int i = 0; i < 5; i++) {
      String target = i % 2 == 0 ? "even" : "odd";
      int n = i;
      database.useTransaction(tx ->
          audit.append(
              tx, BOB, "thing.count", target, "count", Optional.empty(), Map.of("rollout", n)));
    }
    assertThat(AuditLog.list(database, 0, 100, Optional.empty()))
        .extracting(AuditRecord::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(AuditLog.list(database, 2, 2, Optional.empty()))
        .extracting(AuditRecord::seq)
        .containsExactly(3L, 4L);
    assertThat(AuditLog.list(database, 0, 100, Optional.of("odd")))
        .extracting(AuditRecord::seq)
        .containsExactly(2L, 4L);
    List<AuditRecord> third = database.inTransaction(tx -> AuditLog.withDetail(tx, "rollout", "3"));
    assertThat(third).extracting(AuditRecord::seq).containsExactly(4L);
  }

  @Test
  void integrityCheck_tamperedBody_isReported() {
    database.useTransaction(
        tx -> audit.append(tx, BOB, "thing.create", "a", "why", Optional.empty(), Map.of()));
    database
        .jdbi()
        .useHandle(h ->
            h.execute("update audit_record set body = replace(body, 'why', 'lie') where seq = 1"));
    IntegrityCheck.Report report = IntegrityCheck.run(database, ring);
    assertThat(report.intact()).isFalse();
    assertThat(report.findings())
        .extracting(IntegrityCheck.Finding::problem)
        .contains("hash does not match the content");
  }

  @Test
  void rotate_keyFile_isReplacedAuditedAndTheOldKeyStaysPublished(@TempDir Path root)
      throws Exception {
    DataDir dir = new DataDir(root);
    key.save(dir.serviceKey());
    KeyRotation.Rotated rotated =
        KeyRotation.rotate(dir, database, "local-admin", "yearly", Clock.systemUTC());
    assertThat(rotated.oldKeyId()).isEqualTo(key.keyId());
    assertThat(ServiceKey.load(dir.serviceKey()).keyId()).isEqualTo(rotated.newKeyId());
    assertThat(Files.exists(root.resolve("service-key-" + key.keyId() + ".retired.pem")))
        .as("the retired private key is not kept")
        .isFalse();
    KeyRing rotatedRing = KeyRing.load(root.resolve(KeyRing.FILE));
    assertThat(rotatedRing.entries())
        .extracting(KeyRing.Entry::keyId)
        .containsExactly(rotated.oldKeyId(), rotated.newKeyId());
    assertThat(rotatedRing.newest().previous()).isEqualTo(rotated.oldKeyId());
    assertThat(rotatedRing.jwks().getKeys())
        .extracting(jwk -> jwk.getKeyID())
        .containsExactly(rotated.oldKeyId(), rotated.newKeyId());
    List<AuditRecord> records = AuditLog.list(database, 0, 100, Optional.of("service-key"));
    assertThat(records).hasSize(1);
    assertThat(records.getFirst().keyId())
        .as("the rotation record is signed by the previous key")
        .isEqualTo(rotated.oldKeyId());
    assertThat(IntegrityCheck.run(database, rotatedRing).intact()).isTrue();
  }
}
