// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.governance.AuditStore.ChainRow;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    "findings"
  })
  public record Report(
      @com.fasterxml.jackson.annotation.JsonProperty("revisions_checked") int revisionsChecked,
      @com.fasterxml.jackson.annotation.JsonProperty("audit_records_checked")
          int auditRecordsChecked,
      List<Finding> findings) {
    @com.fasterxml.jackson.annotation.JsonProperty("intact")
    public boolean intact() {
      return findings.isEmpty();
    }
  }

  private IntegrityCheck() {}

  /** Checks everything, read-only. */
  public static Report run(Database database) {
    return database.inTransaction(IntegrityCheck::run);
  }

  /** Checks everything in the caller's transaction. */
  public static Report run(Tx tx) {
    Map<String, ECKey> keys = new HashMap<>();
    for (String[] row : AuditStore.serviceKeys(tx)) {
      try {
        keys.put(row[0], ECKey.parse(row[1]));
      } catch (java.text.ParseException e) {
        // a corrupt key row: records signed by it will be reported as unverifiable
      }
    }
    List<Finding> findings = new ArrayList<>();
    int revisions = checkRevisions(AuditStore.revisionRows(tx), keys, findings);
    int audits = checkAudit(AuditStore.auditRows(tx), keys, findings);
    return new Report(revisions, audits, List.copyOf(findings));
  }

  private static int checkRevisions(
      List<ChainRow> rows, Map<String, ECKey> keys, List<Finding> findings) {
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
      List<String> problems = checkRecord(row, keys);
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

  private static int checkAudit(
      List<ChainRow> rows, Map<String, ECKey> keys, List<Finding> findings) {
    String previousHash = null;
    long expectedSeq = 1;
    for (ChainRow row : rows) {
      long seq = row.seq();
      List<String> problems = checkRecord(row, keys);
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

  /** Hash and signature of one row. */
  private static List<String> checkRecord(ChainRow row, Map<String, ECKey> keys) {
    List<String> problems = new ArrayList<>();
    String body = row.body();
    String hash = row.hash();
    JsonNode parsed = parseOrNull(body);
    if (parsed == null) {
      problems.add("body is not JSON");
    } else if (!Hex.encode(Digests.sha256(Jcs.canonicalize(parsed))).equals(hash)) {
      problems.add("hash does not match the content");
    }
    ECKey key = keys.get(row.keyId());
    if (key == null) {
      problems.add("signed by an unknown service key " + row.keyId());
    } else if (hash == null
        || !Hex.isHex(hash)
        || !ServiceKey.verify(key, Hex.decode(hash), row.signature())) {
      problems.add("signature does not verify");
    }
    return problems;
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
