// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.arbiter.store.Tx;
import org.jdbi.v3.core.Handle;

/**
 * The append-only, hash-chained audit log. {@link #append} runs inside the caller's transaction, so
 * a state change and its audit record commit together or not at all. Appends are serialized by a
 * transaction-scoped advisory lock so the chain has no forks. Thread-safe.
 */
public final class AuditLog {
  /** Advisory lock id serializing audit appends (any constant unique to Arbiter). */
  private static final long AUDIT_LOCK = 0x4172626974657201L;

  private final ServiceKey key;
  private final Clock clock;

  public AuditLog(ServiceKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  /**
   * Appends a record in the current transaction.
   *
   * @param action what happened, e.g. {@code workload.create}, {@code policy.accept}
   * @param target what it happened to, e.g. the workload name
   * @param reason why (required for policy changes; may be empty for creation)
   * @param revision the resulting policy revision hash, if the change made one
   * @param details extra structured facts (no secrets)
   */
  public AuditRecord append(
      Handle handle,
      Principal who,
      String action,
      String target,
      String reason,
      Optional<String> revision,
      Map<String, ?> details) {
    return append(handle, who.label(), action, target, reason, revision, details);
  }

  /** {@link #append(Handle, Principal, String, String, String, Optional, Map)} in a transaction of several domains. */
  public AuditRecord append(Tx tx, Principal who, String action, String target, String reason, Optional<String> revision,
      Map<String, ?> details) {
    return append(tx.handle(), who, action, target, reason, revision, details);
  }

  /** {@link #append(Handle, String, String, String, String, Optional, Map)} in a transaction of several domains. */
  public AuditRecord append(Tx tx, String principalLabel, String action, String target, String reason, Optional<String> revision,
      Map<String, ?> details) {
    return append(tx.handle(), principalLabel, action, target, reason, revision, details);
  }

  /**
   * Appends a record for a caller that is not an admin principal (e.g. a TEE on an open route,
   * recorded as {@code tee:<JWK thumbprint>}), in the current transaction.
   */
  public AuditRecord append(
      Handle handle,
      String principalLabel,
      String action,
      String target,
      String reason,
      Optional<String> revision,
      Map<String, ?> details) {
    handle.execute("select pg_advisory_xact_lock(?)", AUDIT_LOCK);
    Optional<Map<String, Object>> head =
        handle.createQuery("select seq, hash from audit_record order by seq desc limit 1").mapToMap().findOne();
    long seq = head.map(row -> ((Number) row.get("seq")).longValue() + 1).orElse(1L);
    String prev = head.map(row -> (String) row.get("hash")).orElse(null);
    ObjectNode content = Json.mapper().createObjectNode();
    content.put("seq", seq);
    content.put("prev", prev);
    content.put("at", clock.instant().truncatedTo(ChronoUnit.MICROS).toString());
    content.put("principal", principalLabel);
    content.put("action", action);
    content.put("target", target);
    content.put("reason", reason);
    content.put("revision", revision.orElse(null));
    content.set("details", Json.mapper().valueToTree(details));
    ChainedRecord sealed = ChainedRecord.seal(content, key);
    handle
        .createUpdate(
            "insert into audit_record(seq, hash, prev, body, key_id, signature) values (:seq, :hash, :prev, :body, :key, :sig)")
        .bind("seq", seq)
        .bind("hash", sealed.hash())
        .bind("prev", prev)
        .bind("body", sealed.body())
        .bind("key", sealed.keyId())
        .bind("sig", sealed.signature())
        .execute();
    return new AuditRecord(seq, sealed.hash(), prev, parse(sealed.body()), sealed.keyId(), sealed.signature());
  }

  /** Records after {@code afterSeq}, oldest first, at most {@code limit}. */
  public static List<AuditRecord> list(Handle handle, long afterSeq, int limit, Optional<String> target) {
    return handle
        .createQuery(
            "select seq, hash, prev, body, key_id, signature from audit_record where seq > :after"
                + (target.isPresent() ? " and body::jsonb ->> 'target' = :target" : "")
                + " order by seq limit :limit")
        .bind("after", afterSeq)
        .bind("limit", limit)
        .bind("target", target.orElse(null))
        .map((rs, ctx) -> new AuditRecord(rs.getLong("seq"), rs.getString("hash"), rs.getString("prev"),
            parse(rs.getString("body")), rs.getString("key_id"), rs.getString("signature")))
        .list();
  }

  static JsonNode parse(String body) {
    try {
      return Json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
