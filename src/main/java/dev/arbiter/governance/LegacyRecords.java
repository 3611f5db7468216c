// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import dev.arbiter.store.Database;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a database written before the transparency log existed under it: on the first start with
 * the log, when the log holds no record leaves at all, every existing policy revision and audit
 * record becomes a leaf (in chain order), and an audit record says so. From then on a record
 * without its leaf is a finding of {@code audit verify}. Records added later by someone who can
 * write the database are not adopted: adoption happens only while the log has no record leaves.
 */
public final class LegacyRecords {
  private LegacyRecords() {}

  /**
   * Adopts the existing records; returns how many leaves were written (0 when there was nothing to
   * do).
   */
  public static int adopt(Database database, AuditLog audit, Clock clock) {
    return database.inTransaction(tx -> {
      if (!LogStore.leavesOfKind(tx, LogEntry.Kind.POLICY_REVISION).isEmpty()
          || !LogStore.leavesOfKind(tx, LogEntry.Kind.AUDIT_RECORD).isEmpty()) {
        return 0;
      }
      List<AuditStore.ChainRow> revisions = AuditStore.revisionRows(tx);
      List<AuditStore.ChainRow> records = AuditStore.auditRows(tx);
      if (revisions.isEmpty() && records.isEmpty()) {
        return 0;
      }
      List<LogEntry> leaves = new ArrayList<>();
      var now = clock.instant();
      revisions.forEach(
          row -> leaves.add(LogEntry.policyRevision(row.workload(), row.seq(), row.hash(), now)));
      records.forEach(row -> leaves.add(LogEntry.auditRecord(row.seq(), row.hash(), now)));
      LogStore.append(tx, leaves, now);
      audit.append(
          tx,
          "system:arbiter",
          "log.adopt-legacy",
          "transparency-log",
          "records written before the transparency log existed became leaves",
          Optional.empty(),
          Map.of("policy_revisions", revisions.size(), "audit_records", records.size()));
      return leaves.size();
    });
  }
}
