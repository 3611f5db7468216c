// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One record for the log. Its leaf data is the RFC 8785 (JCS) canonical JSON of {@code {"body":
 * <body object>, "kind": "<kind>", "time": "<ISO-8601 UTC instant>"}}, so the leaf hash commits to
 * the kind and time as well as the body; {@link #leafText()} is that text, {@link #leafData()} its
 * UTF-8 bytes. Canonicalization happens on construction, so a body JCS cannot represent (an integer
 * beyond 2^53, NaN) is refused on the caller's thread. Immutable.
 */
public final class LogEntry {
  /** What a leaf records. */
  public enum Kind {
    POLICY_REVISION,
    AUDIT_RECORD,
    KEY_EVENT,
    DECISION;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name in the leaf JSON and the {@code kind} column: lower snake case. */
    public String wireName() {
      return wireName;
    }

    /**
     * @throws IllegalArgumentException for an unknown name
     */
    public static Kind fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown log entry kind: " + name);
    }
  }

  private final Kind kind;
  private final Instant time;
  private final String leafText;
  private final byte[] leafData;
  private final byte[] leafHash;
  private final String jti;
  private final String workload;
  // the body tree: null for a decision built from its record (parsed from the leaf text on demand)
  private final ObjectNode body;

  private LogEntry(
      Kind kind, Instant time, String leafText, ObjectNode body, String jti, String workload) {
    this.kind = kind;
    this.time = time;
    this.leafText = leafText;
    this.leafData = leafText.getBytes(StandardCharsets.UTF_8);
    this.leafHash = Merkle.leafHash(leafData);
    this.body = body;
    this.jti = jti;
    this.workload = workload;
  }

  /** An entry whose body is a JSON tree: canonicalized with {@link Jcs}. */
  private static LogEntry ofTree(Kind kind, Instant time, ObjectNode body) {
    ObjectNode envelope = Json.mapper().createObjectNode();
    envelope.set("body", body);
    envelope.put("kind", kind.wireName());
    envelope.put("time", time.toString());
    String text = new String(Jcs.canonicalize((JsonNode) envelope), StandardCharsets.UTF_8);
    boolean decision = kind == Kind.DECISION;
    return new LogEntry(
        kind,
        time,
        text,
        body,
        decision ? textOrNull(body, "jti") : null,
        decision ? textOrNull(body, "workload") : null);
  }

  private static String textOrNull(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /**
   * An entry of {@code kind} at {@code time} with a JSON object body (copied).
   *
   * @throws IllegalArgumentException when the body is not an object or JCS cannot represent it
   */
  public static LogEntry of(Kind kind, Instant time, JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      throw new IllegalArgumentException("a log entry body is a JSON object");
    }
    return ofTree(kind, time, object.deepCopy());
  }

  /**
   * An attestation decision. Its leaf text is written directly from the record's fields ({@link
   * DecisionLeaf}), the same bytes canonicalizing its JSON tree gives, and hashed once here: this
   * runs on the attesting thread for every decision.
   */
  public static LogEntry decision(Decision decision) {
    return new LogEntry(
        Kind.DECISION,
        decision.time(),
        DecisionLeaf.leafText(decision),
        null,
        decision.jti(),
        decision.workload());
  }

  /**
   * A policy revision: {@code {"hash","kind":"policy_revision","seq","workload"}}, so the log
   * commits to the revision chain (the hash covers the revision's content and its link).
   */
  public static LogEntry policyRevision(String workload, long seq, String hash, Instant time) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("kind", Kind.POLICY_REVISION.wireName());
    body.put("workload", workload);
    body.put("seq", seq);
    body.put("hash", hash);
    return ofTree(Kind.POLICY_REVISION, time, body);
  }

  /** An audit record: {@code {"hash","kind":"audit_record","seq"}}. */
  public static LogEntry auditRecord(long seq, String hash, Instant time) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("kind", Kind.AUDIT_RECORD.wireName());
    body.put("seq", seq);
    body.put("hash", hash);
    return ofTree(Kind.AUDIT_RECORD, time, body);
  }

  /**
   * A service key event: {@code {"event":"registered"|"retired","key_id","kind":"key_event",
   * "public_jwk_sha256"}} ({@code public_jwk_sha256} is null for a retirement).
   */
  public static LogEntry keyEvent(
      String event, String keyId, String publicJwkSha256, Instant time) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("kind", Kind.KEY_EVENT.wireName());
    body.put("event", event);
    body.put("key_id", keyId);
    body.put("public_jwk_sha256", publicJwkSha256);
    return ofTree(Kind.KEY_EVENT, time, body);
  }

  /**
   * Parses a leaf text back into an entry, requiring it to be exactly the canonical form this class
   * produces (so its hash is the leaf hash).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static LogEntry parse(String leafText) {
    JsonNode tree;
    try {
      tree = Json.readTree(leafText);
    } catch (IOException e) {
      throw new IllegalArgumentException("leaf is not JSON");
    }
    if (!(tree instanceof ObjectNode envelope)
        || envelope.size() != 3
        || !(envelope.get("body") instanceof ObjectNode body)
        || envelope.get("kind") == null
        || !envelope.get("kind").isTextual()
        || envelope.get("time") == null
        || !envelope.get("time").isTextual()) {
      throw new IllegalArgumentException("leaf is not {body, kind, time}");
    }
    Instant time;
    try {
      time = Instant.parse(envelope.get("time").textValue());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("leaf time is not an ISO-8601 instant");
    }
    LogEntry entry = ofTree(Kind.fromWireName(envelope.get("kind").textValue()), time, body);
    if (!entry.leafText.equals(leafText)) {
      throw new IllegalArgumentException("leaf is not in canonical form");
    }
    return entry;
  }

  public Kind kind() {
    return kind;
  }

  public Instant time() {
    return time;
  }

  /** A copy of the body. */
  public JsonNode body() {
    if (body != null) {
      return body.deepCopy();
    }
    try {
      return Json.readTree(leafText).get("body");
    } catch (IOException e) {
      throw new IllegalStateException("a canonical leaf text does not parse", e);
    }
  }

  /** The EAR {@code jti} of a decision (its body's {@code jti} string), indexed for lookup. */
  public Optional<String> jti() {
    return Optional.ofNullable(jti);
  }

  /** The {@code jti} column: the decision's jti or null (no copy, for the store). */
  String jtiOrNull() {
    return jti;
  }

  /**
   * The {@code workload} column: a decision's workload or null (the console's search and retention
   * select decisions by it; migration V13).
   */
  String workloadOrNull() {
    return workload;
  }

  /** The canonical leaf JSON text. */
  public String leafText() {
    return leafText;
  }

  /** The leaf data: UTF-8 of {@link #leafText()}. */
  public byte[] leafData() {
    return leafData.clone();
  }

  /** {@code SHA-256(0x00 || leafData)}, computed once when the entry is built. */
  public byte[] leafHash() {
    return leafHash.clone();
  }

  /** The leaf data itself, not a copy: for the store's writer only, which must not change it. */
  byte[] leafDataShared() {
    return leafData;
  }

  /** The leaf hash itself, not a copy: for the store's writer only, which must not change it. */
  byte[] leafHashShared() {
    return leafHash;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogEntry e && Arrays.equals(e.leafData, leafData);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(leafData);
  }

  @Override
  public String toString() {
    return "LogEntry[" + kind.wireName() + " at " + time + ", " + leafData.length + " bytes]";
  }
}
