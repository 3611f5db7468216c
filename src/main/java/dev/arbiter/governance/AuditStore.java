// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL of the governance tables: {@code audit_record} (append under an advisory lock, page,
 * filter) and the raw chained rows of {@code audit_record} and {@code policy_revision} that {@link
 * IntegrityCheck} re-verifies.
 */
final class AuditStore {
  /** Advisory lock id serializing audit appends (any constant unique to Arbiter). */
  private static final long AUDIT_LOCK = 0x4172626974657201L;

  private AuditStore() {}

  /**
   * The chain's head (seq, hash) after taking the transaction-scoped append lock; empty for an
   * empty log.
   */
  record Head(long seq, String hash) {}

  static Optional<Head> lockHead(Tx tx) {
    tx.handle().execute("select pg_advisory_xact_lock(?)", AUDIT_LOCK);
    return tx.handle()
        .createQuery("select seq, hash from audit_record order by seq desc limit 1")
        .map((rs, ctx) -> new Head(rs.getLong("seq"), rs.getString("hash")))
        .findOne();
  }

  /** Inserts the record and appends its leaf to the transparency log, in {@code tx}. */
  static void insert(Tx tx, long seq, String prev, ChainedRecord sealed, Instant at) {
    tx.handle()
        .createUpdate(
            "insert into audit_record(seq, hash, prev, body, key_id, signature) values (:seq,"
                + " :hash, :prev, :body, :key, :sig)")
        .bind("seq", seq)
        .bind("hash", sealed.hash())
        .bind("prev", prev)
        .bind("body", sealed.body())
        .bind("key", sealed.keyId())
        .bind("sig", sealed.signature())
        .execute();
    LogStore.append(tx, List.of(LogEntry.auditRecord(seq, sealed.hash(), at)), at);
  }

  static List<AuditRecord> list(
      Database database, long afterSeq, int limit, Optional<String> target) {
    return database
        .jdbi()
        .withHandle(handle ->
            handle
                .createQuery(
                    "select seq, hash, prev, body, key_id, signature from audit_record where seq >"
                        + " :after"
                        + (target.isPresent() ? " and body::jsonb ->> 'target' = :target" : "")
                        + " order by seq limit :limit")
                .bind("after", afterSeq)
                .bind("limit", limit)
                .bind("target", target.orElse(null))
                .map(AuditStore::record)
                .list());
  }

  /** Records whose {@code details.<key>} is {@code value} (as text), oldest first. */
  static List<AuditRecord> withDetail(Tx tx, String key, String value) {
    return tx.handle()
        .createQuery(
            "select seq, hash, prev, body, key_id, signature from audit_record where body::jsonb ->"
                + " 'details' ->> :key = :value order by seq")
        .bind("key", key)
        .bind("value", value)
        .map(AuditStore::record)
        .list();
  }

  private static AuditRecord record(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AuditRecord(
        rs.getLong("seq"),
        rs.getString("hash"),
        rs.getString("prev"),
        AuditLog.parse(rs.getString("body")),
        rs.getString("key_id"),
        rs.getString("signature"));
  }

  // ---- raw rows for the integrity check -----------------------------------------------------

  /** One stored chained row, unparsed; {@code workload} is null for audit records. */
  record ChainRow(
      String workload,
      long seq,
      String hash,
      String prev,
      String body,
      String keyId,
      String signature) {}

  /** Every recorded service key: key id to public JWK JSON. */
  static List<String[]> serviceKeys(Tx tx) {
    return tx.handle()
        .createQuery("select key_id, public_jwk from service_key")
        .map((rs, ctx) -> new String[] {rs.getString("key_id"), rs.getString("public_jwk")})
        .list();
  }

  /** Every stored version: {@code workload@label} to {content JSON, content_hash column}. */
  static Map<String, String[]> versionContents(Tx tx) {
    Map<String, String[]> out = new java.util.HashMap<>();
    tx.handle()
        .createQuery("select workload, label, content, content_hash from version")
        .map((rs, ctx) -> {
          out.put(
              rs.getString("workload") + "@" + rs.getString("label"),
              new String[] {rs.getString("content"), rs.getString("content_hash")});
          return 0;
        })
        .list();
    return out;
  }

  static List<ChainRow> revisionRows(Tx tx) {
    return tx.handle()
        .createQuery(
            "select workload, seq, hash, prev, body, key_id, signature from policy_revision order"
                + " by workload, seq")
        .map((rs, ctx) ->
            new ChainRow(
                rs.getString("workload"),
                rs.getLong("seq"),
                rs.getString("hash"),
                rs.getString("prev"),
                rs.getString("body"),
                rs.getString("key_id"),
                rs.getString("signature")))
        .list();
  }

  static List<ChainRow> auditRows(Tx tx) {
    return tx.handle()
        .createQuery(
            "select seq, hash, prev, body, key_id, signature from audit_record order by seq")
        .map((rs, ctx) ->
            new ChainRow(
                null,
                rs.getLong("seq"),
                rs.getString("hash"),
                rs.getString("prev"),
                rs.getString("body"),
                rs.getString("key_id"),
                rs.getString("signature")))
        .list();
  }
}
