// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.governance.AuditStore.ChainRow;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.StoreException;
import dev.arbiter.store.Tx;
import dev.arbiter.tlog.Checkpoint;
import dev.arbiter.tlog.Checkpoints;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import dev.arbiter.tlog.Merkle;
import dev.arbiter.tlog.NoteVerifierKey;
import dev.arbiter.tlog.Verification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-verifies every hash link and signature of the policy revisions (one chain per workload) and of
 * the audit log, straight from the database, and reports every broken record (not only the first).
 * Read-only. This is what {@code arbiter audit verify} runs, also with the server stopped.
 */
public final class IntegrityCheck {
  /** A broken record: which table, which record, what is wrong. */
  public record Finding(String table, String record, String problem) {}

  /**
   * The outcome: how many records were checked and every finding (also the JSON of {@code audit
   * verify}).
   */
  @com.fasterxml.jackson.annotation.JsonPropertyOrder({
    "intact",
    "revisions_checked",
    "audit_records_checked",
    "leaves_checked",
    "trusted_checkpoints_checked",
    "findings"
  })
  public record Report(
      @com.fasterxml.jackson.annotation.JsonProperty("revisions_checked") int revisionsChecked,
      @com.fasterxml.jackson.annotation.JsonProperty("audit_records_checked")
          int auditRecordsChecked,
      @com.fasterxml.jackson.annotation.JsonProperty("leaves_checked") long leavesChecked,
      @com.fasterxml.jackson.annotation.JsonProperty("trusted_checkpoints_checked")
          int trustedCheckpointsChecked,
      List<Finding> findings) {
    @com.fasterxml.jackson.annotation.JsonProperty("intact")
    public boolean intact() {
      return findings.isEmpty();
    }
  }

  private IntegrityCheck() {}

  /**
   * A checkpoint kept outside the database (by a witness, a client, the server's local file):
   * {@code source} names it in findings, {@code note} is the signed note, {@code key} the log's
   * pinned verifier key.
   */
  public record TrustedCheckpoint(String source, String note, NoteVerifierKey key) {}

  /**
   * Checks everything, read-only and against one snapshot, against the pinned keys of {@code ring}.
   */
  public static Report run(Database database, KeyRing ring) {
    return database.inSnapshot(tx -> run(tx, ring));
  }

  /**
   * Checks everything, read-only, and that the current log extends every trusted checkpoint; {@code
   * logKey}, when given, also verifies the signatures of the checkpoints stored in the database.
   */
  public static Report run(
      Database database,
      KeyRing ring,
      List<TrustedCheckpoint> trusted,
      Optional<NoteVerifierKey> logKey) {
    return database.inSnapshot(tx -> run(tx, ring, trusted, logKey));
  }

  /** Checks everything in the caller's transaction. */
  public static Report run(Tx tx, KeyRing ring) {
    return run(tx, ring, List.of(), Optional.empty());
  }

  /**
   * Checks everything in the caller's transaction: the hash chains and signatures of the policy
   * revisions and audit records against the pinned keys of {@code ring} (never keys read from the
   * database: a {@code service_key} row the ring does not hold is itself a finding); that every
   * version a revision accepts still has the content the revision committed to; that findings,
   * supply-chain policies and collateral files match what the newest verified audit records commit
   * to ({@link StateCommitments}); that each record is a leaf of the transparency log and each such
   * leaf names an existing record with the same hash (a deleted tail record leaves its leaf
   * behind); the whole Merkle tree recomputed from the leaves; and that the log extends each
   * trusted checkpoint (a smaller tree is a rollback, another root at the checkpoint's size a
   * fork).
   */
  public static Report run(
      Tx tx, KeyRing ring, List<TrustedCheckpoint> trusted, Optional<NoteVerifierKey> logKey) {
    List<Finding> findings = new ArrayList<>();
    for (String[] row : AuditStore.serviceKeys(tx)) {
      if (ring.key(row[0]).isEmpty()) {
        findings.add(
            new Finding(
                "service_key",
                row[0],
                "not in the pinned key ring (inserted into the database?); never trusted"));
      }
    }
    List<ChainRow> revisionRows = AuditStore.revisionRows(tx);
    int revisions = checkRevisions(revisionRows, ring, findings);
    checkAcceptedVersions(revisionRows, AuditStore.versionContents(tx), findings);
    List<ChainRow> auditRows = AuditStore.auditRows(tx);
    int audits = checkAudit(auditRows, ring, findings);
    List<JsonNode> verifiedBodies = new ArrayList<>();
    for (ChainRow row : auditRows) {
      JsonNode body = parseOrNull(row.body());
      if (body != null && checkRecord(row, ring).isEmpty()) {
        verifiedBodies.add(body);
      }
    }
    StateCommitments.check(
        verifiedBodies,
        AuditStore.findingRows(tx),
        AuditStore.supplyChainPolicies(tx),
        AuditStore.collateralRows(tx),
        findings);
    checkLeaves(
        "policy_revision",
        revisionRows,
        LogStore.leavesOfKind(tx, LogEntry.Kind.POLICY_REVISION),
        findings);
    checkLeaves(
        "audit_record", auditRows, LogStore.leavesOfKind(tx, LogEntry.Kind.AUDIT_RECORD), findings);
    LogStore.TreeAudit tree = LogStore.audit(tx, logKey);
    tree.findings().forEach(problem -> findings.add(new Finding("tlog", "tree", problem)));
    checkPrunes(verifiedBodies, tree.pruned(), findings);
    for (TrustedCheckpoint checkpoint : trusted) {
      checkTrusted(tx, checkpoint, findings);
    }
    return new Report(
        revisions, audits, tree.leavesChecked(), trusted.size(), List.copyOf(findings));
  }

  /**
   * Every {@code {version, content_hash}} a revision accepts must name a stored version whose
   * content (reference values, configuration, artifact digest, provenance and SBOM digests) hashes
   * to that value, and whose stored hash column agrees: a measurement swapped by SQL in any column
   * is found.
   */
  private static void checkAcceptedVersions(
      List<ChainRow> revisions, Map<String, String[]> versions, List<Finding> findings) {
    java.util.Set<String> reported = new java.util.HashSet<>();
    for (ChainRow row : revisions) {
      JsonNode body = parseOrNull(row.body());
      if (body == null) {
        continue;
      }
      for (JsonNode entry : body.path("accepted")) {
        String label = entry.path("version").asText();
        String committed = entry.path("content_hash").asText();
        String id = row.workload() + "@" + label;
        String[] stored = versions.get(id);
        String problem = null;
        if (stored == null) {
          problem = "accepted by revision #" + row.seq() + " but not stored";
        } else {
          JsonNode content = parseOrNull(stored[0]);
          String actual =
              content == null ? null : Hex.encode(Digests.sha256(Jcs.canonicalize(content)));
          if (!committed.equals(actual)) {
            problem =
                "its content does not hash to the content_hash revision #"
                    + row.seq()
                    + " committed to (reference values edited?)";
          } else if (!committed.equals(stored[1])) {
            problem = "its content_hash column differs from revision #" + row.seq();
          }
        }
        if (problem != null && reported.add(id + problem)) {
          findings.add(new Finding("version", id, problem));
        }
      }
    }
  }

  /** The identity of a chained record in its leaf: {@code workload#seq} or {@code seq}. */
  private static String id(ChainRow row) {
    return row.workload() == null ? Long.toString(row.seq()) : row.workload() + "#" + row.seq();
  }

  private static void checkLeaves(
      String table, List<ChainRow> rows, List<LogStore.LoggedLeaf> leaves, List<Finding> findings) {
    Map<String, String> hashById = new HashMap<>();
    for (ChainRow row : rows) {
      hashById.put(id(row), row.hash());
    }
    Map<String, Long> leafById = new HashMap<>();
    for (LogStore.LoggedLeaf leaf : leaves) {
      String where = "leaf " + leaf.index();
      JsonNode body;
      try {
        body = leaf.entry().body();
      } catch (IllegalArgumentException e) {
        findings.add(new Finding("tlog_leaf", where, "not a canonical leaf: " + e.getMessage()));
        continue;
      }
      JsonNode workload = body.get("workload");
      String id =
          "policy_revision".equals(table)
              ? (workload == null ? "?" : workload.asText()) + "#" + body.path("seq").asLong(-1)
              : Long.toString(body.path("seq").asLong(-1));
      Long earlier = leafById.putIfAbsent(id, leaf.index());
      if (earlier != null) {
        findings.add(
            new Finding("tlog_leaf", where, table + " " + id + " is also leaf " + earlier));
        continue;
      }
      String hash = hashById.get(id);
      if (hash == null) {
        findings.add(
            new Finding(
                table,
                id,
                "missing: the log has it as leaf "
                    + leaf.index()
                    + " but the table does not (deleted or rolled back)"));
      } else if (!hash.equals(body.path("hash").asText())) {
        findings.add(
            new Finding(table, id, "its hash differs from the one logged in leaf " + leaf.index()));
      }
    }
    for (ChainRow row : rows) {
      if (!leafById.containsKey(id(row))) {
        findings.add(
            new Finding(table, id(row), "has no leaf in the transparency log (not logged)"));
      }
    }
  }

  /** The audit action of a retention prune; its details commit to the leaves it pruned. */
  public static final String PRUNE_ACTION = "decisions.prune";

  /**
   * Every leaf without its body must have been pruned by a verified {@code decisions.prune} audit
   * record that commits to exactly those leaves (count, first and last index, digest of {@link
   * dev.arbiter.tlog.PrunedLeaves}), and every such record's leaves must be marked: a body nulled
   * by SQL and marked with a real prune's seq changes that prune's count or digest.
   */
  private static void checkPrunes(
      List<JsonNode> verifiedBodies,
      Map<Long, dev.arbiter.tlog.PrunedLeaves> pruned,
      List<Finding> findings) {
    Map<Long, JsonNode> prunes = new HashMap<>();
    for (JsonNode body : verifiedBodies) {
      if (PRUNE_ACTION.equals(body.path("action").asText())) {
        prunes.put(body.path("seq").asLong(), body.path("details"));
      }
    }
    pruned.forEach((seq, leaves) -> {
      String where = "leaves " + leaves.first() + ".." + leaves.last();
      JsonNode details = prunes.get(seq);
      if (details == null) {
        findings.add(
            new Finding(
                "tlog_leaf",
                where,
                leaves.count()
                    + " leaves without their body name audit record "
                    + seq
                    + ", which is not a verified "
                    + PRUNE_ACTION
                    + " record (bodies removed outside a retention prune)"));
      } else if (details.path("decisions_pruned").asLong(-1) != leaves.count()
          || details.path("first_leaf").asLong(-2) != leaves.first()
          || details.path("last_leaf").asLong(-2) != leaves.last()
          || !leaves.digest().equals(details.path("leaves_sha256").asText())) {
        findings.add(
            new Finding(
                "tlog_leaf",
                where,
                "the "
                    + leaves.count()
                    + " leaves marked as pruned by audit record "
                    + seq
                    + " are not the "
                    + details.path("decisions_pruned").asLong(-1)
                    + " leaves it records (count, range or digest differ: bodies removed outside"
                    + " a retention prune)"));
      }
    });
    prunes.forEach((seq, details) -> {
      if (details.path("decisions_pruned").asLong(0) > 0 && !pruned.containsKey(seq)) {
        findings.add(
            new Finding(
                "audit_record",
                Long.toString(seq),
                "records a prune of "
                    + details.path("decisions_pruned").asLong()
                    + " decision leaves, but no leaf is marked as pruned by it"));
      }
    });
  }

  private static void checkTrusted(Tx tx, TrustedCheckpoint trusted, List<Finding> findings) {
    Verification opened = Checkpoints.open(trusted.note(), trusted.key());
    if (!(opened instanceof Verification.Verified(Checkpoint checkpoint))) {
      findings.add(
          new Finding(
              "trusted_checkpoint",
              trusted.source(),
              "does not verify with the pinned log key: " + opened));
      return;
    }
    LogStore.TreeHead head = LogStore.head(tx);
    long size = checkpoint.size();
    if (head.size() < size) {
      findings.add(
          new Finding(
              "trusted_checkpoint",
              trusted.source(),
              "rollback: the log has "
                  + head.size()
                  + " leaves, fewer than the "
                  + size
                  + " of this checkpoint (restored from an older backup, or truncated)"));
      return;
    }
    try {
      if (!Arrays.equals(LogStore.rootAt(tx, size), checkpoint.rootHash())) {
        findings.add(
            new Finding(
                "trusted_checkpoint",
                trusted.source(),
                "fork: the log's root at size "
                    + size
                    + " differs from this checkpoint's (its history was rewritten)"));
        return;
      }
      List<byte[]> proof = LogStore.consistencyProof(tx, size, head.size());
      if (!Merkle.verifyConsistency(
          size, head.size(), checkpoint.rootHash(), head.rootHash(), proof)) {
        findings.add(
            new Finding(
                "trusted_checkpoint",
                trusted.source(),
                "fork: the log's head (size "
                    + head.size()
                    + ") is not an extension of this checkpoint (size "
                    + size
                    + ")"));
      }
    } catch (StoreException | IllegalArgumentException e) {
      findings.add(
          new Finding(
              "trusted_checkpoint",
              trusted.source(),
              "cannot prove the log extends this checkpoint: " + e.getMessage()));
    }
  }

  private static int checkRevisions(List<ChainRow> rows, KeyRing ring, List<Finding> findings) {
    String workload = null;
    String previousHash = null;
    long expectedSeq = 1;
    for (ChainRow row : rows) {
      String rowWorkload = row.workload();
      if (!rowWorkload.equals(workload)) {
        workload = rowWorkload;
        previousHash = null;
        expectedSeq = 1;
      }
      long seq = row.seq();
      String id = workload + "#" + seq;
      List<String> problems = checkRecord(row, ring);
      JsonNode body = parseOrNull(row.body());
      if (seq != expectedSeq) {
        problems.add("sequence gap: expected " + expectedSeq);
      }
      if (!Objects.equals(row.prev(), previousHash)) {
        problems.add("prev does not equal the previous revision's hash");
      }
      if (body != null) {
        if (!workload.equals(body.path("workload").asText(null))
            || body.path("seq").asLong(-1) != seq
            || !Objects.equals(textOrNull(body.get("prev")), row.prev())) {
          problems.add("body's workload/seq/prev differ from the row");
        }
      }
      problems.forEach(problem -> findings.add(new Finding("policy_revision", id, problem)));
      previousHash = row.hash();
      expectedSeq = seq + 1;
    }
    return rows.size();
  }

  private static int checkAudit(List<ChainRow> rows, KeyRing ring, List<Finding> findings) {
    String previousHash = null;
    long expectedSeq = 1;
    for (ChainRow row : rows) {
      long seq = row.seq();
      List<String> problems = checkRecord(row, ring);
      JsonNode body = parseOrNull(row.body());
      if (seq != expectedSeq) {
        problems.add("sequence gap: expected " + expectedSeq);
      }
      if (!Objects.equals(row.prev(), previousHash)) {
        problems.add("prev does not equal the previous record's hash");
      }
      if (body != null
          && (body.path("seq").asLong(-1) != seq
              || !Objects.equals(textOrNull(body.get("prev")), row.prev()))) {
        problems.add("body's seq/prev differ from the row");
      }
      problems.forEach(
          problem -> findings.add(new Finding("audit_record", Long.toString(seq), problem)));
      previousHash = row.hash();
      expectedSeq = seq + 1;
    }
    return rows.size();
  }

  /** Hash and signature of one row, against the pinned keys. */
  private static List<String> checkRecord(ChainRow row, KeyRing ring) {
    return ring.problemsOf(parseOrNull(row.body()), row.hash(), row.keyId(), row.signature());
  }

  private static JsonNode parseOrNull(String body) {
    try {
      return body == null ? null : Json.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
