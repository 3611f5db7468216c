// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.ChainedRecord;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import dev.arbiter.store.Tx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Workloads, versions and Verifier policy revisions. Every state change is one transaction that
 * writes the change, the new signed policy revision (when the policy changes) and its audit record
 * together, or nothing; then notifies replicas ({@code NOTIFY arbiter_policy}). Thread-safe.
 */
public final class PolicyService {
  /** The PostgreSQL notification channel that announces new policy revisions (payload: workload). */
  public static final String CHANNEL = "arbiter_policy";

  private final Jdbi jdbi;
  private final ServiceKey key;
  private final AuditLog audit;
  private final SchemeRegistry schemes;
  private final Clock clock;

  public PolicyService(Jdbi jdbi, ServiceKey key, AuditLog audit, SchemeRegistry schemes, Clock clock) {
    this.jdbi = jdbi;
    this.key = key;
    this.audit = audit;
    this.schemes = schemes;
    this.clock = clock;
  }

  public AuditLog audit() {
    return audit;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  // ---- workloads -------------------------------------------------------------------------

  /** Creates a workload and its first (empty) policy revision. */
  public Workload createWorkload(Principal who, String name, String owner, JsonNode objectives) {
    Names.workload(name);
    String checkedOwner = owner == null || owner.isBlank() ? who.name() : owner.strip();
    JsonNode checkedObjectives = Objectives.parse(objectives);
    return inTransaction(handle -> {
      Instant now = now();
      int inserted = handle.createUpdate(
              "insert into workload(name, owner, objectives, created_at, created_by) values (:n, :o, :obj, :at, :by) on conflict do nothing")
          .bind("n", name).bind("o", checkedOwner).bind("obj", canonical(checkedObjectives))
          .bind("at", now).bind("by", who.label()).execute();
      if (inserted == 0) {
        throw new ProblemException(PolicyProblem.WORKLOAD_EXISTS, "workload " + name + " already exists");
      }
      PolicyRevision first = appendRevision(handle, who, name, "workload created", null, content -> content);
      audit.append(handle, who, "workload.create", name, "workload created", Optional.of(first.hash()),
          Map.of("owner", checkedOwner, "objectives", checkedObjectives));
      return new Workload(name, checkedOwner, checkedObjectives, now, who.label());
    });
  }

  /** Replaces a workload's control objectives (audited; the policy itself does not change). */
  public Workload setObjectives(Principal who, String name, JsonNode objectives, String reason) {
    Names.reason(reason);
    JsonNode checked = Objectives.parse(objectives);
    return inTransaction(handle -> {
      lockWorkload(handle, name);
      handle.createUpdate("update workload set objectives = :obj where name = :n")
          .bind("obj", canonical(checked)).bind("n", name).execute();
      audit.append(handle, who, "workload.set-objectives", name, reason, Optional.empty(), Map.of("objectives", checked));
      return workload(handle, name);
    });
  }

  public List<Workload> listWorkloads() {
    return jdbi.withHandle(handle -> handle.createQuery("select * from workload order by name").map(PolicyService::mapWorkload).list());
  }

  public Workload workload(String name) {
    return jdbi.withHandle(handle -> workload(handle, name));
  }

  public static Workload workload(Handle handle, String name) {
    return handle.createQuery("select * from workload where name = :n").bind("n", name)
        .map(PolicyService::mapWorkload).findOne()
        .orElseThrow(() -> new ProblemException(PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + Names.abbreviate(name)));
  }

  private static Workload mapWorkload(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
    return new Workload(rs.getString("name"), rs.getString("owner"), parse(rs.getString("objectives")),
        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"));
  }

  // ---- versions --------------------------------------------------------------------------

  /** The outcome of registering: the version and whether this call created it. */
  public record Registration(Version version, boolean created) {}

  /**
   * Registers an immutable version. The same content again is idempotent (created = false);
   * different content under an existing label is refused with {@link PolicyProblem#VERSION_CONFLICT}.
   */
  public Registration registerVersion(Principal who, String workload, String label, JsonNode referenceValues, Optional<String> digest) {
    return registerVersion(who, workload, label, referenceValues, digest, Json.mapper().createArrayNode(), null, (handle, version) -> {});
  }

  /**
   * Registers a version whose content also carries supply-chain facts (the {@code provenance} list
   * and the {@code sbom} slot, null for none); {@code alongside} writes the caller's rows in the same
   * transaction when the version is created.
   */
  /**
   * {@link #registerVersion(Principal, String, String, JsonNode, Optional, JsonNode, JsonNode,
   * java.util.function.BiConsumer)} whose {@code alongside} writes through the callers' stores in
   * the same {@link Tx}.
   */
  public Registration registerVersionWith(Principal who, String workload, String label, JsonNode referenceValues,
      Optional<String> digest, JsonNode provenance, JsonNode sbom, java.util.function.BiConsumer<Tx, Version> alongside) {
    return registerVersion(who, workload, label, referenceValues, digest, provenance, sbom,
        (handle, version) -> alongside.accept(Tx.of(handle), version));
  }

  public Registration registerVersion(Principal who, String workload, String label, JsonNode referenceValues, Optional<String> digest,
      JsonNode provenance, JsonNode sbom, java.util.function.BiConsumer<Handle, Version> alongside) {
    Names.version(label);
    ReferenceValues values = ReferenceValues.parse(referenceValues, schemes);
    ObjectNode content = Json.mapper().createObjectNode();
    content.set("reference_values", values.normalized());
    content.put("artifact_digest", digest.map(Names::digest).orElse(null));
    content.set("provenance", provenance == null ? Json.mapper().createArrayNode() : provenance);
    content.set("sbom", sbom == null ? Json.mapper().nullNode() : sbom);
    String body = canonical(content);
    String hash = Hex.encode(Digests.sha256(body.getBytes(StandardCharsets.UTF_8)));
    return inTransaction(handle -> {
      lockWorkload(handle, workload);
      Optional<Version> existing = findVersion(handle, workload, label);
      if (existing.isPresent()) {
        if (existing.get().contentHash().equals(hash)) {
          return new Registration(existing.get(), false);
        }
        throw new ProblemException(PolicyProblem.VERSION_CONFLICT,
            "version " + label + " of " + workload + " exists with different content (content hash " + existing.get().contentHash() + ")");
      }
      Instant now = now();
      handle.createUpdate("insert into version(workload, label, content, content_hash, created_at, created_by) values (:w, :l, :c, :h, :at, :by)")
          .bind("w", workload).bind("l", label).bind("c", body).bind("h", hash).bind("at", now).bind("by", who.label()).execute();
      handle.createUpdate("insert into version_status(workload, label) values (:w, :l)").bind("w", workload).bind("l", label).execute();
      Version created = new Version(workload, label, content, hash, now, who.label(), false);
      alongside.accept(handle, created);
      audit.append(handle, who, "version.register", workload + "@" + label, "version registered", Optional.empty(),
          Map.of("content_hash", hash, "schemes", values.schemes(), "provenance", content.path("provenance").size(),
              "sbom", !content.path("sbom").isNull()));
      return new Registration(created, true);
    });
  }

  public List<Version> versions(String workload) {
    return jdbi.withHandle(handle -> {
      workload(handle, workload);
      return handle.createQuery(VERSION_SELECT + " where v.workload = :w order by v.created_at, v.label")
          .bind("w", workload).map(PolicyService::mapVersion).list();
    });
  }

  public Version version(String workload, String label) {
    return jdbi.withHandle(handle -> {
      workload(handle, workload);
      return findVersion(handle, workload, label).orElseThrow(() -> versionNotFound(workload, label));
    });
  }

  private static final String VERSION_SELECT =
      "select v.*, coalesce(s.revoked, false) as revoked from version v left join version_status s on s.workload = v.workload and s.label = v.label";

  public static Optional<Version> findVersion(Handle handle, String workload, String label) {
    return handle.createQuery(VERSION_SELECT + " where v.workload = :w and v.label = :l")
        .bind("w", workload).bind("l", label).map(PolicyService::mapVersion).findOne();
  }

  private static Version mapVersion(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
    return new Version(rs.getString("workload"), rs.getString("label"), parse(rs.getString("content")), rs.getString("content_hash"),
        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), rs.getBoolean("revoked"));
  }

  static ProblemException versionNotFound(String workload, String label) {
    return new ProblemException(PolicyProblem.VERSION_NOT_FOUND, "workload " + workload + " has no version " + Names.abbreviate(label));
  }

  // ---- policy changes ---------------------------------------------------------------------

  /** Adds a version to the accepted set (operator's direct, audited edit). */
  public PolicyRevision accept(Principal who, String workload, String label, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    return inTransaction(handle -> {
      PolicyRevision head = lockAndCheckBase(handle, workload, baseRevision);
      Version version = findVersion(handle, workload, label).orElseThrow(() -> versionNotFound(workload, label));
      if (head.acceptedLabels().contains(label)) {
        throw new ProblemException(PolicyProblem.VERSION_ALREADY_ACCEPTED, label + " is already accepted for " + workload);
      }
      setRevoked(handle, workload, label, false, null);
      PolicyRevision revision = appendRevision(handle, who, workload, reason, head, content -> withAccepted(content, version, true));
      audit.append(handle, who, "policy.accept", workload + "@" + label, reason, Optional.of(revision.hash()), Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /** Removes a version from the accepted set and marks it revoked (operator's direct, audited edit). */
  public PolicyRevision revoke(Principal who, String workload, String label, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    return inTransaction(handle -> {
      PolicyRevision head = lockAndCheckBase(handle, workload, baseRevision);
      Version version = findVersion(handle, workload, label).orElseThrow(() -> versionNotFound(workload, label));
      if (!head.acceptedLabels().contains(label)) {
        throw new ProblemException(PolicyProblem.VERSION_NOT_ACCEPTED, label + " is not accepted for " + workload);
      }
      setRevoked(handle, workload, label, true, reason);
      PolicyRevision revision = appendRevision(handle, who, workload, reason, head, content -> withAccepted(content, version, false));
      audit.append(handle, who, "policy.revoke", workload + "@" + label, reason, Optional.of(revision.hash()), Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /** Replaces the appraisal policy (CEL, compiled first; refused with the compiler's message). */
  public PolicyRevision setAppraisal(Principal who, String workload, String cel, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    CelPolicy.Compiled compiled = CelPolicy.compile(cel, CelPolicy.APPRAISAL_VARIABLES);
    if (compiled.policy().isEmpty()) {
      throw new ProblemException(PolicyProblem.INVALID_CEL, compiled.error());
    }
    return inTransaction(handle -> {
      PolicyRevision head = lockAndCheckBase(handle, workload, baseRevision);
      PolicyRevision revision = appendRevision(handle, who, workload, reason, head, content -> {
        content.put("appraisal", cel);
        return content;
      });
      audit.append(handle, who, "policy.set-appraisal", workload, reason, Optional.of(revision.hash()), Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /** Replaces the endorsements object. */
  public PolicyRevision setEndorsements(Principal who, String workload, JsonNode endorsements, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    if (endorsements == null || !endorsements.isObject()) {
      throw new ProblemException(dev.arbiter.problem.CommonProblem.INVALID_FIELD, "endorsements must be a JSON object");
    }
    return inTransaction(handle -> {
      PolicyRevision head = lockAndCheckBase(handle, workload, baseRevision);
      PolicyRevision revision = appendRevision(handle, who, workload, reason, head, content -> {
        content.set("endorsements", endorsements);
        return content;
      });
      audit.append(handle, who, "policy.set-endorsements", workload, reason, Optional.of(revision.hash()), Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /**
   * For other domains (rollouts) composing a policy change with their own rows in one transaction:
   * locks the workload, checks the base revision, and appends the revision built by {@code change}.
   * The caller writes the audit record.
   */
  public PolicyRevision reviseInTransaction(
      Handle handle, Principal who, String workload, String reason, Optional<String> baseRevision, UnaryOperator<ObjectNode> change) {
    PolicyRevision head = lockAndCheckBase(handle, workload, baseRevision);
    return appendRevision(handle, who, workload, reason, head, change);
  }

  /** {@link #reviseInTransaction(Handle, Principal, String, String, Optional, UnaryOperator)} in a multi-domain transaction. */
  public PolicyRevision reviseInTransaction(
      Tx tx, Principal who, String workload, String reason, Optional<String> baseRevision, UnaryOperator<ObjectNode> change) {
    return reviseInTransaction(tx.handle(), who, workload, reason, baseRevision, change);
  }

  /** Locks the workload row (serializing its policy changes) and returns the head revision. */
  public static PolicyRevision lockAndCheckBase(Tx tx, String workload, Optional<String> baseRevision) {
    return lockAndCheckBase(tx.handle(), workload, baseRevision);
  }

  /** The workload, in a multi-domain transaction. */
  public static Workload workload(Tx tx, String name) {
    return workload(tx.handle(), name);
  }

  /** A version by label, in a multi-domain transaction. */
  public static Optional<Version> findVersion(Tx tx, String workload, String label) {
    return findVersion(tx.handle(), workload, label);
  }

  /** The head revision, in a multi-domain transaction. */
  public static PolicyRevision head(Tx tx, String workload) {
    return head(tx.handle(), workload);
  }

  /** Every workload's head revision, in a multi-domain transaction. */
  public static List<PolicyRevision> heads(Tx tx) {
    return heads(tx.handle());
  }

  /** Tells every replica's policy cache that {@code workload}'s policy changed (sent at commit). */
  public static void notifyChanged(Tx tx, String workload) {
    tx.handle().execute("select pg_notify('" + CHANNEL + "', ?)", workload);
  }

  /** Marks a version revoked at {@code at} with {@code reason}, in a multi-domain transaction. */
  public static void markRevoked(Tx tx, String workload, String label, String reason, Instant at) {
    tx.handle().execute("update version_status set revoked = true, revoked_at = ?, revoked_reason = ? where workload = ? and label = ?",
        at, reason, workload, label);
  }

  /** Adds ({@code accept}) or removes a version in revision content (for {@link #reviseInTransaction}). */
  public static ObjectNode withAccepted(ObjectNode content, Version version, boolean accept) {
    TreeMap<String, String> accepted = new TreeMap<>();
    content.path("accepted").forEach(entry -> accepted.put(entry.path("version").asText(), entry.path("content_hash").asText()));
    if (accept) {
      accepted.put(version.label(), version.contentHash());
    } else {
      accepted.remove(version.label());
    }
    ArrayNode list = Json.mapper().createArrayNode();
    accepted.forEach((label, hash) -> list.addObject().put("version", label).put("content_hash", hash));
    content.set("accepted", list);
    return content;
  }

  /** Locks the workload row (serializing its policy changes) and returns the head revision. */
  public static PolicyRevision lockAndCheckBase(Handle handle, String workload, Optional<String> baseRevision) {
    lockWorkload(handle, workload);
    PolicyRevision head = head(handle, workload);
    if (baseRevision.isPresent() && !baseRevision.get().equals(head.hash())) {
      throw new ProblemException(PolicyProblem.REVISION_CONFLICT,
          "the change was based on revision " + Names.abbreviate(baseRevision.get()) + " but the current revision of " + workload
              + " is #" + head.seq() + " " + head.hash());
    }
    return head;
  }

  static void lockWorkload(Handle handle, String workload) {
    handle.createQuery("select name from workload where name = :n for update").bind("n", workload).mapTo(String.class).findOne()
        .orElseThrow(() -> new ProblemException(PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + Names.abbreviate(workload)));
  }

  private static void setRevoked(Handle handle, String workload, String label, boolean revoked, String reason) {
    handle.createUpdate("update version_status set revoked = :r, revoked_at = case when :r then now() else null end, revoked_reason = :why where workload = :w and label = :l")
        .bind("r", revoked).bind("why", reason).bind("w", workload).bind("l", label).execute();
  }

  private PolicyRevision appendRevision(Handle handle, Principal who, String workload, String reason, PolicyRevision head, UnaryOperator<ObjectNode> change) {
    ObjectNode content = Json.mapper().createObjectNode();
    content.put("workload", workload);
    content.put("seq", head == null ? 1 : head.seq() + 1);
    content.put("prev", head == null ? null : head.hash());
    if (head == null) {
      content.set("accepted", Json.mapper().createArrayNode());
      content.putNull("appraisal");
      content.set("endorsements", Json.mapper().createObjectNode());
    } else {
      content.set("accepted", head.body().path("accepted").deepCopy());
      content.set("appraisal", head.body().path("appraisal").deepCopy());
      content.set("endorsements", head.body().path("endorsements").deepCopy());
    }
    content = change.apply(content);
    content.put("created_at", now().toString());
    content.put("principal", who.label());
    content.put("reason", reason);
    ChainedRecord sealed = ChainedRecord.seal(content, key);
    long seq = content.path("seq").asLong();
    handle.createUpdate("insert into policy_revision(workload, seq, hash, prev, body, key_id, signature) values (:w, :s, :h, :p, :b, :k, :sig)")
        .bind("w", workload).bind("s", seq).bind("h", sealed.hash()).bind("p", head == null ? null : head.hash())
        .bind("b", sealed.body()).bind("k", sealed.keyId()).bind("sig", sealed.signature()).execute();
    handle.execute("select pg_notify('" + CHANNEL + "', ?)", workload);
    return new PolicyRevision(workload, seq, sealed.hash(), head == null ? null : head.hash(), parse(sealed.body()), sealed.keyId(), sealed.signature());
  }

  // ---- reading revisions ------------------------------------------------------------------

  public PolicyRevision current(String workload) {
    return jdbi.withHandle(handle -> {
      workload(handle, workload);
      return head(handle, workload);
    });
  }

  public static PolicyRevision head(Handle handle, String workload) {
    return handle.createQuery("select * from policy_revision where workload = :w order by seq desc limit 1").bind("w", workload)
        .map(PolicyService::mapRevision).findOne()
        .orElseThrow(() -> new ProblemException(PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + Names.abbreviate(workload)));
  }

  public List<PolicyRevision> revisions(String workload) {
    return jdbi.withHandle(handle -> {
      workload(handle, workload);
      return handle.createQuery("select * from policy_revision where workload = :w order by seq").bind("w", workload)
          .map(PolicyService::mapRevision).list();
    });
  }

  public PolicyRevision revision(String workload, long seq) {
    return jdbi.withHandle(handle -> {
      workload(handle, workload);
      return handle.createQuery("select * from policy_revision where workload = :w and seq = :s").bind("w", workload).bind("s", seq)
          .map(PolicyService::mapRevision).findOne()
          .orElseThrow(() -> new ProblemException(PolicyProblem.REVISION_NOT_FOUND, workload + " has no revision #" + seq));
    });
  }

  /** Heads of every workload (for the policy cache). */
  public List<PolicyRevision> heads() {
    return jdbi.withHandle(PolicyService::heads);
  }

  public static List<PolicyRevision> heads(Handle handle) {
    return handle.createQuery("select distinct on (workload) * from policy_revision order by workload, seq desc")
        .map(PolicyService::mapRevision).list();
  }

  /** What changed between two revisions: accepted versions added/removed, appraisal and endorsements. */
  public Map<String, Object> diff(String workload, long fromSeq, long toSeq) {
    PolicyRevision from = revision(workload, fromSeq);
    PolicyRevision to = revision(workload, toSeq);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("workload", workload);
    out.put("from", Map.of("seq", from.seq(), "hash", from.hash()));
    out.put("to", Map.of("seq", to.seq(), "hash", to.hash()));
    List<String> before = from.acceptedLabels();
    List<String> after = to.acceptedLabels();
    out.put("accepted_added", after.stream().filter(label -> !before.contains(label)).toList());
    out.put("accepted_removed", before.stream().filter(label -> !after.contains(label)).toList());
    if (!from.body().path("appraisal").equals(to.body().path("appraisal"))) {
      Map<String, Object> appraisal = new LinkedHashMap<>();
      appraisal.put("from", from.appraisal().orElse(null));
      appraisal.put("to", to.appraisal().orElse(null));
      out.put("appraisal", appraisal);
    }
    if (!from.endorsements().equals(to.endorsements())) {
      out.put("endorsements", Map.of("from", from.endorsements(), "to", to.endorsements()));
    }
    return out;
  }

  private static PolicyRevision mapRevision(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
    return new PolicyRevision(rs.getString("workload"), rs.getLong("seq"), rs.getString("hash"), rs.getString("prev"),
        parse(rs.getString("body")), rs.getString("key_id"), rs.getString("signature"));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private <T> T inTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
    return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, callback);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static String canonical(JsonNode node) {
    return new String(Jcs.canonicalize(node), StandardCharsets.UTF_8);
  }

  static JsonNode parse(String text) {
    try {
      return Json.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
