// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.store.Database;
import java.util.List;

/** Routes of the audit log: list records, re-verify every hash link and signature. */
public final class AuditRoutes {
  private final Database database;
  private final KeyRing keyRing;

  public AuditRoutes(Database database, KeyRing keyRing) {
    this.database = database;
    this.keyRing = keyRing;
  }

  /** One audit record as the API shows it. */
  record AuditView(
      long seq,
      String hash,
      String prev,
      @JsonProperty("key_id") String keyId,
      String signature,
      JsonNode body) {
    static AuditView of(AuditRecord record) {
      return new AuditView(
          record.seq(),
          record.hash(),
          record.prev(),
          record.keyId(),
          record.signature(),
          record.body());
    }
  }

  record AuditPage(List<AuditView> records) {}

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/v1/audit",
            Access.AUDIT,
            "Audit records (?after=SEQ&limit=N&target=T)",
            call -> {
              long after = call.queryLong("after", 0);
              int limit = (int) Math.max(1, Math.min(1000, call.queryLong("limit", 100)));
              List<AuditRecord> records =
                  AuditLog.list(database, after, limit, call.query("target"));
              return Reply.ok(new AuditPage(records.stream().map(AuditView::of).toList()));
            }),
        Route.get(
            "/v1/audit/verify",
            Access.AUDIT,
            "Re-verify every hash link and signature",
            call -> Reply.ok(IntegrityCheck.run(database, keyRing))));
  }
}
