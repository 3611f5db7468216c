// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The append-only, hash-chained audit log. {@link #append} runs inside the caller's transaction
 * ({@link Tx}), so a state change and its audit record commit together or not at all. Appends are
 * serialized by a transaction-scoped advisory lock so the chain has no forks. Thread-safe.
 */
public final class AuditLog {
  private final ServiceKey key;
  private final Clock clock;

  public AuditLog(ServiceKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  /**
   * Appends a record in the caller's transaction.
   *
   * @param action what happened, e.g. {@code workload.create}, {@code policy.accept}
   * @param target what it happened to, e.g. the workload name
   * @param reason why (required for policy changes; may be empty for creation)
   * @param revision the resulting policy revision hash, if the change made one
   * @param details extra structured facts (no secrets)
   */
  public AuditRecord append(
      Tx tx,
      Principal who,
      String action,
      String target,
      String reason,
      Optional<String> revision,
      Map<String, ?> details) {
    return append(tx, who.label(), action, target, reason, revision, details);
  }

  /**
   * Appends a record for a caller that is not an admin principal (e.g. a TEE on an open route,
   * recorded as {@code tee:<JWK thumbprint>}), in the caller's transaction.
   */
  public AuditRecord append(
      Tx tx,
      String principalLabel,
      String action,
      String target,
      String reason,
      Optional<String> revision,
      Map<String, ?> details) {
    Optional<AuditStore.Head> head = AuditStore.lockHead(tx);
    long seq = head.map(h -> h.seq() + 1).orElse(1L);
    String prev = head.map(AuditStore.Head::hash).orElse(null);
    ObjectNode content = Json.mapper().createObjectNode();
    content.put("seq", seq);
    content.put("prev", prev);
    java.time.Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    content.put("at", at.toString());
    content.put("principal", principalLabel);
    content.put("action", action);
    content.put("target", target);
    content.put("reason", reason);
    content.put("revision", revision.orElse(null));
    content.set("details", Json.mapper().valueToTree(details));
    ChainedRecord sealed = ChainedRecord.seal(content, key);
    AuditStore.insert(tx, seq, prev, sealed, at);
    return new AuditRecord(
        seq, sealed.hash(), prev, parse(sealed.body()), sealed.keyId(), sealed.signature());
  }

  /**
   * Records after {@code afterSeq}, oldest first, at most {@code limit}, optionally only those
   * about {@code target}.
   */
  public static List<AuditRecord> list(
      Database database, long afterSeq, int limit, Optional<String> target) {
    return AuditStore.list(database, afterSeq, limit, target);
  }

  /**
   * Records whose {@code details} name {@code value} under {@code key} (e.g. every record of one
   * rollout), oldest first.
   */
  public static List<AuditRecord> withDetail(Tx tx, String key, String value) {
    return AuditStore.withDetail(tx, key, value);
  }

  /**
   * The newest record whose {@code details.<object>} names {@code key} (e.g. the latest commitment
   * to a version's findings state: {@code findings_state}, {@code workload@version}), if any.
   */
  public static Optional<AuditRecord> latestNaming(Tx tx, String object, String key) {
    return AuditStore.latestNaming(tx, object, key);
  }

  /** Whether any record's {@code details} has {@code object}. */
  public static boolean anyWithDetail(Tx tx, String object) {
    return AuditStore.anyWithDetail(tx, object);
  }

  /** Every record of one action (e.g. {@code collateral.import}), oldest first. */
  public static List<AuditRecord> withAction(Tx tx, String action) {
    return AuditStore.withAction(tx, action);
  }

  static JsonNode parse(String body) {
    try {
      return Json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
