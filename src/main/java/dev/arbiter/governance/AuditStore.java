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

  static Optional<AuditRecord> latestNaming(Tx tx, String object, String key) {
    return tx.handle()
        .createQuery(
            "select seq, hash, prev, body, key_id, signature from audit_record where body::jsonb ->"
                + " 'details' -> :object ->> :key is not null order by seq desc limit 1")
        .bind("object", object)
        .bind("key", key)
        .map(AuditStore::record)
        .findOne();
  }

  static boolean anyWithDetail(Tx tx, String object) {
    return tx.handle()
        .createQuery(
            "select exists (select 1 from audit_record where body::jsonb -> 'details' -> :object"
                + " is not null)")
        .bind("object", object)
        .mapTo(Boolean.class)
        .one();
  }

  static List<AuditRecord> withAction(Tx tx, String action) {
    return tx.handle()
        .createQuery(
            "select seq, hash, prev, body, key_id, signature from audit_record where body::jsonb"
                + " ->> 'action' = :action order by seq")
        .bind("action", action)
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

  /** Every version's findings ({@code workload@version}), as their digest covers them. */
  static Map<String, List<StateCommitments.FindingRow>> findingRows(Tx tx) {
    Map<String, List<StateCommitments.FindingRow>> out = new java.util.TreeMap<>();
    tx.handle()
        .createQuery(
            "select workload, version, osv_id, purl, component_version, severity, score from"
                + " version_finding")
        .map((rs, ctx) ->
            out.computeIfAbsent(
                    rs.getString("workload") + "@" + rs.getString("version"),
                    k -> new java.util.ArrayList<>())
                .add(
                    new StateCommitments.FindingRow(
                        rs.getString("osv_id"),
                        rs.getString("purl"),
                        rs.getString("component_version"),
                        rs.getString("severity"),
                        rs.getObject("score") == null ? null : rs.getDouble("score"))))
        .list();
    return out;
  }

  /** Every supply-chain policy: workload to stored body. */
  static Map<String, String> supplyChainPolicies(Tx tx) {
    Map<String, String> out = new java.util.TreeMap<>();
    tx.handle()
        .createQuery("select workload, body from supply_chain_policy")
        .map((rs, ctx) -> out.put(rs.getString("workload"), rs.getString("body")))
        .list();
    return out;
  }

  /** One stored collateral file with its bytes. */
  record CollateralRow(
      long id, String format, String kind, String key, String sha256, byte[] content) {}

  static List<CollateralRow> collateralRows(Tx tx) {
    return tx.handle()
        .createQuery("select id, format, kind, key, sha256, content from collateral order by id")
        .map((rs, ctx) ->
            new CollateralRow(
                rs.getLong("id"),
                rs.getString("format"),
                rs.getString("kind"),
                rs.getString("key"),
                rs.getString("sha256"),
                rs.getBytes("content")))
        .list();
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
