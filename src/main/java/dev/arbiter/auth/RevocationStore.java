// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code client_certificate_revocation} table (the only class here that sees Jdbi). */
final class RevocationStore {
  /** The channel replicas LISTEN on; the payload is the revoked fingerprint. */
  static final String CHANNEL = "arbiter_certificates";

  private RevocationStore() {}

  /** Inserts a revocation and notifies replicas when the transaction commits. */
  static boolean insert(Tx tx, CertificateRevocations.Revoked revoked) {
    int rows =
        tx.handle()
            .createUpdate(
                "insert into client_certificate_revocation (fingerprint, name, role, serial,"
                    + " revoked_at, revoked_by, reason) values (:fingerprint, :name, :role,"
                    + " :serial, :at, :by, :reason) on conflict (fingerprint) do nothing")
            .bind("fingerprint", revoked.fingerprint())
            .bind("name", revoked.name())
            .bind("role", revoked.role())
            .bind("serial", revoked.serial())
            .bind("at", OffsetDateTime.ofInstant(revoked.revokedAt(), ZoneOffset.UTC))
            .bind("by", revoked.revokedBy())
            .bind("reason", revoked.reason())
            .execute();
    if (rows == 1) {
      tx.handle().execute("select pg_notify('" + CHANNEL + "', ?)", revoked.fingerprint());
    }
    return rows == 1;
  }

  static Optional<CertificateRevocations.Revoked> find(Tx tx, String fingerprint) {
    return tx.handle()
        .createQuery(SELECT + " where fingerprint = :fingerprint")
        .bind("fingerprint", fingerprint)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  static List<CertificateRevocations.Revoked> all(Database database) {
    return database
        .jdbi()
        .withHandle(handle -> handle.createQuery(SELECT).map((rs, ctx) -> row(rs)).list());
  }

  private static final String SELECT =
      "select fingerprint, name, role, serial, revoked_at, revoked_by, reason from"
          + " client_certificate_revocation";

  private static CertificateRevocations.Revoked row(java.sql.ResultSet rs)
      throws java.sql.SQLException {
    Instant at = rs.getObject("revoked_at", OffsetDateTime.class).toInstant();
    return new CertificateRevocations.Revoked(
        rs.getString("fingerprint"),
        rs.getString("name"),
        rs.getString("role"),
        rs.getString("serial"),
        at,
        rs.getString("revoked_by"),
        rs.getString("reason"));
  }
}
