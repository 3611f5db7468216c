// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.LogStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code service_key} table: a record (and transparency-log key events) of the public keys that
 * signed revisions, audit records and results. Informational only: verification uses the pinned
 * {@link KeyRing}, and {@code audit verify} reports a row the ring does not hold.
 */
public final class ServiceKeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceKeyStore.class);
  private final Database database;

  public ServiceKeyStore(Database database) {
    this.database = database;
  }

  /** Records the public half of {@code key} (idempotent). */
  public void register(ServiceKey key, Instant at) {
    database.useTransaction(tx -> register(tx, key, at));
  }

  /** Records the public half of {@code key} in the caller's transaction (idempotent). */
  static void register(Tx tx, ServiceKey key, Instant at) {
    String jwk = key.publicJwk().toJSONString();
    int inserted =
        tx.handle()
            .createUpdate(
                "insert into service_key(key_id, public_jwk, created_at) values (:k, :jwk, :at) on"
                    + " conflict (key_id) do nothing")
            .bind("k", key.keyId())
            .bind("jwk", jwk)
            .bind("at", at)
            .execute();
    if (inserted > 0) {
      LogStore.append(
          tx,
          List.of(
              LogEntry.keyEvent(
                  "registered",
                  key.keyId(),
                  Hex.encode(Digests.sha256(jwk.getBytes(StandardCharsets.UTF_8))),
                  at)),
          at);
    }
  }

  /** Marks a key retired (it stays published so what it signed still verifies). */
  static void retire(Tx tx, String keyId, Instant at) {
    int retired =
        tx.handle()
            .execute(
                "update service_key set retired_at = ? where key_id = ? and retired_at is null",
                at,
                keyId);
    if (retired > 0) {
      LogStore.append(tx, List.of(LogEntry.keyEvent("retired", keyId, null, at)), at);
    }
  }
}
