// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Workloads, versions and Verifier policy revisions. Every state change is one transaction that
 * writes the change, the new signed policy revision (when the policy changes) and its audit record
 * together, or nothing; then notifies replicas ({@code NOTIFY arbiter_policy}). Thread-safe.
 */
public final class PolicyService {
  /**
   * The PostgreSQL notification channel that announces new policy revisions (payload: workload).
   */
  public static final String CHANNEL = "arbiter_policy";

  /** The largest sample a dry run evaluates. */
  public static final int MAX_PREVIEW = RecentAppraisals.INSTANCES_PER_WORKLOAD;

  private final Database database;
  private final ServiceKey key;
  private final AuditLog audit;
  private final SchemeRegistry schemes;
  private final Clock clock;
  private final RecentAppraisals recent = new RecentAppraisals();

  public PolicyService(
      Database database, ServiceKey key, AuditLog audit, SchemeRegistry schemes, Clock clock) {
    this.database = database;
    this.key = key;
    this.audit = audit;
    this.schemes = schemes;
    this.clock = clock;
  }

  public AuditLog audit() {
    return audit;
  }

  // ---- workloads -------------------------------------------------------------------------

  /** Creates a workload and its first (empty) policy revision. */
  public Workload createWorkload(Principal who, String name, String owner, JsonNode objectives) {
    Names.workload(name);
    String checkedOwner = owner == null || owner.isBlank() ? who.name() : owner.strip();
    JsonNode checkedObjectives = Objectives.parse(objectives);
    return database.inTransaction(tx -> {
      Instant now = now();
      if (!PolicyStore.insertWorkload(
          tx, name, checkedOwner, canonical(checkedObjectives), now, who.label())) {
        throw new ProblemException(
            PolicyProblem.WORKLOAD_EXISTS, "workload " + name + " already exists");
      }
      PolicyRevision first =
          appendRevision(tx, who, name, "workload created", null, content -> content);
      audit.append(
          tx,
          who,
          "workload.create",
          name,
          "workload created",
          Optional.of(first.hash()),
          Map.of("owner", checkedOwner, "objectives", checkedObjectives));
      return new Workload(
          name, checkedOwner, checkedObjectives, now, who.label(), Optional.empty());
    });
  }

  /** Replaces a workload's control objectives (audited; the policy itself does not change). */
  public Workload setObjectives(Principal who, String name, JsonNode objectives, String reason) {
    Names.reason(reason);
    JsonNode checked = Objectives.parse(objectives);
    return database.inTransaction(tx -> {
      lockWorkload(tx, name);
      PolicyStore.updateObjectives(tx, name, canonical(checked));
      audit.append(
          tx,
          who,
          "workload.set-objectives",
          name,
          reason,
          Optional.empty(),
          Map.of("objectives", checked));
      return workload(tx, name);
    });
  }

  /**
   * Sets how long the workload's decision records are kept ({@code retention} empty: the
   * server-wide default), audited {@code workload.set-retention}; the policy does not change.
   * Pruning happens later (the retention service, {@code arbiter decisions prune}).
   */
  public Workload setDecisionRetention(
      Principal who, String name, Optional<Retention> retention, String reason) {
    Names.reason(reason);
    return database.inTransaction(tx -> {
      lockWorkload(tx, name);
      Optional<Retention> before = workload(tx, name).decisionRetention();
      PolicyStore.updateDecisionRetention(tx, name, retention.map(Retention::wire).orElse(null));
      Map<String, Object> details = new java.util.LinkedHashMap<>();
      details.put("decisions", retention.map(Retention::wire).orElse(null));
      details.put("previous", before.map(Retention::wire).orElse(null));
      audit.append(tx, who, "workload.set-retention", name, reason, Optional.empty(), details);
      return workload(tx, name);
    });
  }

  public List<Workload> listWorkloads() {
    return database.inTransaction(PolicyStore::workloads);
  }

  public Workload workload(String name) {
    return database.inTransaction(tx -> workload(tx, name));
  }

  // ---- versions --------------------------------------------------------------------------

  /** The outcome of registering: the version and whether this call created it. */
  public record Registration(Version version, boolean created) {}

  /**
   * Registers an immutable version. The same content again is idempotent (created = false);
   * different content under an existing label is refused with {@link
   * PolicyProblem#VERSION_CONFLICT}.
   */
  public Registration registerVersion(
      Principal who,
      String workload,
      String label,
      JsonNode referenceValues,
      Optional<String> digest) {
    return registerVersion(
        who,
        workload,
        label,
        referenceValues,
        digest,
        Json.mapper().createArrayNode(),
        null,
        (tx, version) -> {});
  }

  /**
   * Registers a version whose content also carries supply-chain facts (the {@code provenance} list
   * and the {@code sbom} slot, null for none); {@code alongside} writes the caller's rows in the
   * same transaction when the version is created.
   */
  public Registration registerVersion(
      Principal who,
      String workload,
      String label,
      JsonNode referenceValues,
      Optional<String> digest,
      JsonNode provenance,
      JsonNode sbom,
      java.util.function.BiConsumer<Tx, Version> alongside) {
    Names.version(label);
    ReferenceValues values = ReferenceValues.parse(referenceValues, schemes);
    ObjectNode content = Json.mapper().createObjectNode();
    content.set("reference_values", values.normalized());
    content.put("artifact_digest", digest.map(Names::digest).orElse(null));
    content.set("provenance", provenance == null ? Json.mapper().createArrayNode() : provenance);
    content.set("sbom", sbom == null ? Json.mapper().nullNode() : sbom);
    String body = canonical(content);
    String hash = Hex.encode(Digests.sha256(body.getBytes(StandardCharsets.UTF_8)));
    return database.inTransaction(tx -> {
      lockWorkload(tx, workload);
      Optional<Version> existing = findVersion(tx, workload, label);
      if (existing.isPresent()) {
        if (existing.get().contentHash().equals(hash)) {
          return new Registration(existing.get(), false);
        }
        throw new ProblemException(
            PolicyProblem.VERSION_CONFLICT,
            "version "
                + label
                + " of "
                + workload
                + " exists with different content (content hash "
                + existing.get().contentHash()
                + ")");
      }
      Instant now = now();
      PolicyStore.insertVersion(tx, workload, label, body, hash, now, who.label());
      Version created = new Version(workload, label, content, hash, now, who.label(), false);
      alongside.accept(tx, created);
      audit.append(
          tx,
          who,
          "version.register",
          workload + "@" + label,
          "version registered",
          Optional.empty(),
          Map.of(
              "content_hash",
              hash,
              "schemes",
              values.schemes(),
              "provenance",
              content.path("provenance").size(),
              "sbom",
              !content.path("sbom").isNull()));
      return new Registration(created, true);
    });
  }

  public List<Version> versions(String workload) {
    return database.inTransaction(tx -> {
      workload(tx, workload);
      return PolicyStore.versions(tx, workload);
    });
  }

  public Version version(String workload, String label) {
    return database.inTransaction(tx -> {
      workload(tx, workload);
      return findVersion(tx, workload, label).orElseThrow(() -> versionNotFound(workload, label));
    });
  }

  /** A version by label, if the workload has it (no existence check of the workload). */
  public Optional<Version> findVersion(String workload, String label) {
    return database.inTransaction(tx -> findVersion(tx, workload, label));
  }

  static ProblemException versionNotFound(String workload, String label) {
    return new ProblemException(
        PolicyProblem.VERSION_NOT_FOUND,
        "workload " + workload + " has no version " + Names.abbreviate(label));
  }

  // ---- policy changes ---------------------------------------------------------------------

  /** Adds a version to the accepted set (operator's direct, audited edit). */
  public PolicyRevision accept(
      Principal who, String workload, String label, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    return database.inTransaction(tx -> {
      PolicyRevision head = lockAndCheckBase(tx, workload, baseRevision);
      Version version =
          findVersion(tx, workload, label).orElseThrow(() -> versionNotFound(workload, label));
      if (head.acceptedLabels().contains(label)) {
        throw new ProblemException(
            PolicyProblem.VERSION_ALREADY_ACCEPTED, label + " is already accepted for " + workload);
      }
      PolicyStore.setRevoked(tx, workload, label, false, null);
      PolicyRevision revision =
          appendRevision(
              tx, who, workload, reason, head, content -> withAccepted(content, version, true));
      audit.append(
          tx,
          who,
          "policy.accept",
          workload + "@" + label,
          reason,
          Optional.of(revision.hash()),
          Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /**
   * Removes a version from the accepted set and marks it revoked (operator's direct, audited edit).
   */
  public PolicyRevision revoke(
      Principal who, String workload, String label, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    return database.inTransaction(tx -> {
      PolicyRevision head = lockAndCheckBase(tx, workload, baseRevision);
      Version version =
          findVersion(tx, workload, label).orElseThrow(() -> versionNotFound(workload, label));
      if (!head.acceptedLabels().contains(label)) {
        throw new ProblemException(
            PolicyProblem.VERSION_NOT_ACCEPTED, label + " is not accepted for " + workload);
      }
      PolicyStore.setRevoked(tx, workload, label, true, reason);
      PolicyRevision revision =
          appendRevision(
              tx, who, workload, reason, head, content -> withAccepted(content, version, false));
      audit.append(
          tx,
          who,
          "policy.revoke",
          workload + "@" + label,
          reason,
          Optional.of(revision.hash()),
          Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /**
   * Replaces the appraisal policy: CEL, compiled first (refused with the compiler's message), and
   * every claim name it reads must be a claim of a scheme of the workload's versions or named in
   * the policy ({@link ClaimCheck}; refused with one {@link PolicyProblem#APPRAISAL_UNKNOWN_CLAIM}
   * per unknown name). A refusal changes nothing.
   */
  public PolicyRevision setAppraisal(
      Principal who, String workload, String cel, String reason, Optional<String> baseRevision) {
    Names.reason(reason);
    CelPolicy policy = compileAppraisal(cel);
    ClaimReferences references = ClaimReferences.of(policy);
    return database.inTransaction(tx -> {
      PolicyRevision head = lockAndCheckBase(tx, workload, baseRevision);
      checkClaims(references, PolicyStore.versions(tx, workload));
      PolicyRevision revision =
          appendRevision(
              tx,
              who,
              workload,
              reason,
              head,
              content -> {
                content.put("appraisal", cel);
                return content;
              });
      audit.append(
          tx,
          who,
          "policy.set-appraisal",
          workload,
          reason,
          Optional.of(revision.hash()),
          Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /**
   * Dry run of a proposed appraisal policy: checked as {@link #setAppraisal} checks it, then
   * evaluated on the latest appraisal of up to {@code limit} recently seen instances ({@link
   * RecentAppraisals}), only those appraised within {@code since} when given. Reads only; writes
   * nothing (no revision, no audit record).
   */
  public AppraisalPreview previewAppraisal(
      String workload, String cel, int limit, Optional<java.time.Duration> since) {
    if (limit < 1 || limit > MAX_PREVIEW) {
      throw new ProblemException(
          dev.arbiter.problem.CommonProblem.INVALID_FIELD,
          "last must be between 1 and " + MAX_PREVIEW);
    }
    if (since.isPresent() && (since.get().isNegative() || since.get().isZero())) {
      throw new ProblemException(
          dev.arbiter.problem.CommonProblem.INVALID_FIELD, "since must be a positive duration");
    }
    CelPolicy policy = compileAppraisal(cel);
    ClaimReferences references = ClaimReferences.of(policy);
    PolicyRevision head =
        database.inTransaction(tx -> {
          PolicyRevision current = head(tx, workload);
          checkClaims(references, PolicyStore.versions(tx, workload));
          return current;
        });
    Optional<Instant> cutoff = since.map(window -> now().minus(window));
    return AppraisalPreview.of(
        workload, policy, references, head, recent.recent(workload, limit, cutoff));
  }

  /**
   * The recent appraisals of this process, which the appraiser feeds and dry runs read ({@link
   * #previewAppraisal}).
   */
  public RecentAppraisals recentAppraisals() {
    return recent;
  }

  private static CelPolicy compileAppraisal(String cel) {
    CelPolicy.Compiled compiled = CelPolicy.compile(cel, CelPolicy.APPRAISAL_VARIABLES);
    if (compiled.policy().isEmpty()) {
      throw new ProblemException(PolicyProblem.INVALID_CEL, compiled.error());
    }
    return compiled.policy().get();
  }

  private void checkClaims(ClaimReferences references, List<Version> versions) {
    List<dev.arbiter.problem.Problem> unknown = ClaimCheck.unknown(references, versions, schemes);
    if (!unknown.isEmpty()) {
      throw new ProblemException(unknown);
    }
  }

  /** Replaces the endorsements object. */
  public PolicyRevision setEndorsements(
      Principal who,
      String workload,
      JsonNode endorsements,
      String reason,
      Optional<String> baseRevision) {
    Names.reason(reason);
    if (endorsements == null || !endorsements.isObject()) {
      throw new ProblemException(
          dev.arbiter.problem.CommonProblem.INVALID_FIELD, "endorsements must be a JSON object");
    }
    return revise(
        who,
        workload,
        reason,
        baseRevision,
        "policy.set-endorsements",
        content -> {
          content.set("endorsements", endorsements);
          return content;
        });
  }

  /**
   * One audited policy change: locks the workload, checks the base revision, appends the revision
   * {@code change} builds and its audit record ({@code action}), in one transaction.
   */
  private PolicyRevision revise(
      Principal who,
      String workload,
      String reason,
      Optional<String> baseRevision,
      String action,
      UnaryOperator<ObjectNode> change) {
    return database.inTransaction(tx -> {
      PolicyRevision head = lockAndCheckBase(tx, workload, baseRevision);
      PolicyRevision revision = appendRevision(tx, who, workload, reason, head, change);
      audit.append(
          tx,
          who,
          action,
          workload,
          reason,
          Optional.of(revision.hash()),
          Map.of("seq", revision.seq()));
      return revision;
    });
  }

  /**
   * For other domains (rollouts, supply chain) composing a policy change with their own rows in one
   * transaction: locks the workload, checks the base revision, and appends the revision built by
   * {@code change}. The caller writes the audit record.
   */
  public PolicyRevision reviseInTransaction(
      Tx tx,
      Principal who,
      String workload,
      String reason,
      Optional<String> baseRevision,
      UnaryOperator<ObjectNode> change) {
    PolicyRevision head = lockAndCheckBase(tx, workload, baseRevision);
    return appendRevision(tx, who, workload, reason, head, change);
  }

  /** Locks the workload row (serializing its policy changes) and returns the head revision. */
  public static PolicyRevision lockAndCheckBase(
      Tx tx, String workload, Optional<String> baseRevision) {
    lockWorkload(tx, workload);
    PolicyRevision head = head(tx, workload);
    if (baseRevision.isPresent() && !baseRevision.get().equals(head.hash())) {
      throw new ProblemException(
          PolicyProblem.REVISION_CONFLICT,
          "the change was based on revision "
              + Names.abbreviate(baseRevision.get())
              + " but the current revision of "
              + workload
              + " is #"
              + head.seq()
              + " "
              + head.hash());
    }
    return head;
  }

  /**
   * Locks the workload row unless another transaction holds it (schedulers skip what an API call is
   * changing); false when it is held elsewhere or does not exist.
   */
  public static boolean tryLock(Tx tx, String workload) {
    return PolicyStore.tryLockWorkload(tx, workload);
  }

  /** The workload, in a multi-domain transaction. */
  public static Workload workload(Tx tx, String name) {
    return PolicyStore.workload(tx, name)
        .orElseThrow(() ->
            new ProblemException(
                PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + Names.abbreviate(name)));
  }

  /** A version by label, in a multi-domain transaction. */
  public static Optional<Version> findVersion(Tx tx, String workload, String label) {
    return PolicyStore.findVersion(tx, workload, label);
  }

  /** The head revision, in a multi-domain transaction. */
  public static PolicyRevision head(Tx tx, String workload) {
    return PolicyStore.head(tx, workload)
        .orElseThrow(() ->
            new ProblemException(
                PolicyProblem.WORKLOAD_NOT_FOUND,
                "no workload named " + Names.abbreviate(workload)));
  }

  /** Every workload's head revision, in a multi-domain transaction. */
  public static List<PolicyRevision> heads(Tx tx) {
    return PolicyStore.heads(tx);
  }

  /** The revision with this hash (any workload), in a multi-domain transaction. */
  public static Optional<PolicyRevision> revisionByHash(Tx tx, String hash) {
    return PolicyStore.revisionByHash(tx, hash);
  }

  /**
   * Marks a version revoked at {@code at} ({@code revoked}) or not revoked any more, in a
   * multi-domain transaction (the accepted set is changed separately, by a revision).
   */
  public static void setRevoked(
      Tx tx, String workload, String label, boolean revoked, String reason, Instant at) {
    if (revoked) {
      PolicyStore.revokeAt(tx, workload, label, reason, at);
    } else {
      PolicyStore.setRevoked(tx, workload, label, false, null);
    }
  }

  /** Tells every replica's policy cache that {@code workload}'s policy changed (sent at commit). */
  public static void notifyChanged(Tx tx, String workload) {
    PolicyStore.notifyChanged(tx, workload);
  }

  /**
   * Adds ({@code accept}) or removes a version in revision content (for {@link
   * #reviseInTransaction}).
   */
  public static ObjectNode withAccepted(ObjectNode content, Version version, boolean accept) {
    TreeMap<String, String> accepted = new TreeMap<>();
    content
        .path("accepted")
        .forEach(entry ->
            accepted.put(entry.path("version").asText(), entry.path("content_hash").asText()));
    if (accept) {
      accepted.put(version.label(), version.contentHash());
    } else {
      accepted.remove(version.label());
    }
    ArrayNode list = Json.mapper().createArrayNode();
    accepted.forEach(
        (label, hash) -> list.addObject().put("version", label).put("content_hash", hash));
    content.set("accepted", list);
    return content;
  }

  static void lockWorkload(Tx tx, String workload) {
    if (!PolicyStore.lockWorkload(tx, workload)) {
      throw new ProblemException(
          PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + Names.abbreviate(workload));
    }
  }

  private PolicyRevision appendRevision(
      Tx tx,
      Principal who,
      String workload,
      String reason,
      PolicyRevision head,
      UnaryOperator<ObjectNode> change) {
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
    java.time.Instant createdAt = now();
    content.put("created_at", createdAt.toString());
    content.put("principal", who.label());
    content.put("reason", reason);
    ChainedRecord sealed = ChainedRecord.seal(content, key);
    long seq = content.path("seq").asLong();
    PolicyStore.insertRevision(
        tx,
        workload,
        seq,
        sealed.hash(),
        head == null ? null : head.hash(),
        sealed.body(),
        sealed.keyId(),
        sealed.signature(),
        createdAt);
    PolicyStore.notifyChanged(tx, workload);
    return new PolicyRevision(
        workload,
        seq,
        sealed.hash(),
        head == null ? null : head.hash(),
        parse(sealed.body()),
        sealed.keyId(),
        sealed.signature());
  }

  // ---- reading revisions ------------------------------------------------------------------

  public PolicyRevision current(String workload) {
    return database.inTransaction(tx -> {
      workload(tx, workload);
      return head(tx, workload);
    });
  }

  public List<PolicyRevision> revisions(String workload) {
    return database.inTransaction(tx -> {
      workload(tx, workload);
      return PolicyStore.revisions(tx, workload);
    });
  }

  /**
   * The revisions of {@code workload} after {@code seq}, oldest first (what a cache that verified
   * the chain up to {@code seq} still has to verify: O(new revisions), not O(history)).
   */
  public List<PolicyRevision> revisionsAfter(String workload, long seq) {
    return database.inTransaction(tx -> {
      workload(tx, workload);
      return PolicyStore.revisionsAfter(tx, workload, seq);
    });
  }

  public PolicyRevision revision(String workload, long seq) {
    return database.inTransaction(tx -> {
      workload(tx, workload);
      return PolicyStore.revision(tx, workload, seq)
          .orElseThrow(() ->
              new ProblemException(
                  PolicyProblem.REVISION_NOT_FOUND, workload + " has no revision #" + seq));
    });
  }

  /** Heads of every workload (for the policy cache). */
  public List<PolicyRevision> heads() {
    return database.inTransaction(PolicyStore::heads);
  }

  /** One end of a diff. */
  public record RevisionRef(long seq, String hash) {}

  /** Appraisal policy before and after (null for none). */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Change<T>(T from, T to) {}

  /**
   * What changed between two revisions; {@code appraisal} and {@code endorsements} are left out of
   * the JSON when they did not change.
   */
  @JsonPropertyOrder({
    "workload",
    "from",
    "to",
    "accepted_added",
    "accepted_removed",
    "appraisal",
    "endorsements"
  })
  public record Diff(
      String workload,
      RevisionRef from,
      RevisionRef to,
      @JsonProperty("accepted_added") List<String> acceptedAdded,
      @JsonProperty("accepted_removed") List<String> acceptedRemoved,
      @JsonInclude(JsonInclude.Include.NON_NULL) Change<String> appraisal,
      @JsonInclude(JsonInclude.Include.NON_NULL) Change<JsonNode> endorsements) {}

  /**
   * What changed between two revisions: accepted versions added/removed, appraisal and
   * endorsements.
   */
  public Diff diff(String workload, long fromSeq, long toSeq) {
    PolicyRevision from = revision(workload, fromSeq);
    PolicyRevision to = revision(workload, toSeq);
    List<String> before = from.acceptedLabels();
    List<String> after = to.acceptedLabels();
    Change<String> appraisal =
        from.body().path("appraisal").equals(to.body().path("appraisal"))
            ? null
            : new Change<>(from.appraisal().orElse(null), to.appraisal().orElse(null));
    Change<JsonNode> endorsements =
        from.endorsements().equals(to.endorsements())
            ? null
            : new Change<>(from.endorsements(), to.endorsements());
    return new Diff(
        workload,
        new RevisionRef(from.seq(), from.hash()),
        new RevisionRef(to.seq(), to.hash()),
        after.stream().filter(label -> !before.contains(label)).toList(),
        before.stream().filter(label -> !after.contains(label)).toList(),
        appraisal,
        endorsements);
  }

  // ---- helpers -----------------------------------------------------------------------------

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
