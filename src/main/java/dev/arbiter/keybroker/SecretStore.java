// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import dev.arbiter.auth.Principal;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.policy.Names;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.security.GeneralSecurityException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Secrets at rest (table {@code secret}): put, list (metadata only), set-policy, rotate and delete,
 * each one transaction together with its audit record. Values are sealed by {@link Envelope} under
 * the {@link KeyProvider} before they reach SQL; audit records never hold a value or a digest of
 * one. Rotation replaces the value with version + 1 and destroys the previous ciphertext.
 * Thread-safe.
 */
public final class SecretStore {
  /** Largest secret value accepted. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Jdbi jdbi;
  private final KeyProvider keys;
  private final AuditLog audit;
  private final Clock clock;

  public SecretStore(Database database, KeyProvider keys, AuditLog audit, Clock clock) {
    this.jdbi = database.jdbi();
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  /** Checks the form of a secret name. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      String shown =
          name == null ? "(missing)" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
      throw new ProblemException(
          KeyBrokerProblem.INVALID_SECRET_NAME,
          "secret name must match " + NAME.pattern() + ": " + shown);
    }
    return name;
  }

  static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private static void checkValue(byte[] value) {
    if (value == null || value.length == 0) {
      throw new ProblemException(
          KeyBrokerProblem.INVALID_SECRET_VALUE, "the secret value is empty");
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw new ProblemException(
          KeyBrokerProblem.INVALID_SECRET_VALUE,
          "a secret value has at most " + MAX_VALUE_BYTES + " bytes");
    }
  }

  /** Stores a new secret (version 1) for {@code workload}. */
  public SecretMetadata put(
      Principal who,
      String name,
      String workload,
      byte[] value,
      String releasePolicy,
      boolean allowWarning,
      Optional<String> reason) {
    checkName(name);
    Names.workload(workload);
    checkValue(value);
    ReleasePolicy.compile(releasePolicy);
    String why =
        reason.isPresent() && !reason.get().isBlank()
            ? Names.reason(reason.get())
            : "secret created";
    return inHandle(handle -> {
      boolean workloadExists =
          handle
                  .createQuery("select count(*) from workload where name = :w")
                  .bind("w", workload)
                  .mapTo(Integer.class)
                  .one()
              > 0;
      if (!workloadExists) {
        throw new ProblemException(
            PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + workload);
      }
      SealedSecret sealed = seal(name, 1, value);
      Instant now = now();
      int inserted =
          handle
              .createUpdate(
                  """
                  insert into secret(name, workload, version, release_policy, allow_warning, key_id, wrapped_key, iv, ciphertext,
                                     created_at, created_by, updated_at, updated_by)
                  values (:n, :w, 1, :p, :aw, :k, :wk, :iv, :ct, :at, :by, :at, :by) on conflict (name) do nothing\
                  """)
              .bind("n", name)
              .bind("w", workload)
              .bind("p", releasePolicy)
              .bind("aw", allowWarning)
              .bind("k", sealed.keyId())
              .bind("wk", sealed.wrappedKey())
              .bind("iv", sealed.iv())
              .bind("ct", sealed.ciphertext())
              .bind("at", now)
              .bind("by", who.label())
              .execute();
      if (inserted == 0) {
        throw new ProblemException(
            KeyBrokerProblem.SECRET_EXISTS, "secret " + name + " already exists");
      }
      audit.append(
          Tx.of(handle),
          who,
          "secret.put",
          name,
          why,
          Optional.empty(),
          details(workload, 1, releasePolicy, allowWarning));
      return metadata(handle, name);
    });
  }

  public List<SecretMetadata> list() {
    return jdbi.withHandle(handle ->
        handle
            .createQuery(SELECT_METADATA + " order by name")
            .map(SecretStore::mapMetadata)
            .list());
  }

  public SecretMetadata metadata(String name) {
    checkName(name);
    return jdbi.withHandle(handle -> metadata(handle, name));
  }

  /** Replaces the release policy (and whether warning results may receive the secret). */
  public SecretMetadata setPolicy(
      Principal who, String name, String releasePolicy, boolean allowWarning, String reason) {
    checkName(name);
    ReleasePolicy.compile(releasePolicy);
    String why = Names.reason(reason);
    return inHandle(handle -> {
      SecretMetadata before = lock(handle, name);
      handle
          .createUpdate(
              "update secret set release_policy = :p, allow_warning = :aw, updated_at = :at,"
                  + " updated_by = :by where name = :n")
          .bind("p", releasePolicy)
          .bind("aw", allowWarning)
          .bind("at", now())
          .bind("by", who.label())
          .bind("n", name)
          .execute();
      Map<String, Object> details =
          details(before.workload(), before.version(), releasePolicy, allowWarning);
      details.put("previous_release_policy", before.releasePolicy());
      details.put("previous_allow_warning", before.allowWarning());
      audit.append(Tx.of(handle), who, "secret.set-policy", name, why, Optional.empty(), details);
      return metadata(handle, name);
    });
  }

  /**
   * Replaces the value: a new version with a fresh data key; the previous ciphertext is destroyed.
   */
  public SecretMetadata rotate(Principal who, String name, byte[] value, String reason) {
    checkName(name);
    checkValue(value);
    String why = Names.reason(reason);
    return inHandle(handle -> {
      SecretMetadata before = lock(handle, name);
      int version = before.version() + 1;
      SealedSecret sealed = seal(name, version, value);
      handle
          .createUpdate(
              """
              update secret set version = :v, key_id = :k, wrapped_key = :wk, iv = :iv, ciphertext = :ct, updated_at = :at, updated_by = :by
              where name = :n\
              """)
          .bind("v", version)
          .bind("k", sealed.keyId())
          .bind("wk", sealed.wrappedKey())
          .bind("iv", sealed.iv())
          .bind("ct", sealed.ciphertext())
          .bind("at", now())
          .bind("by", who.label())
          .bind("n", name)
          .execute();
      audit.append(
          Tx.of(handle),
          who,
          "secret.rotate",
          name,
          why,
          Optional.empty(),
          details(before.workload(), version, before.releasePolicy(), before.allowWarning()));
      return metadata(handle, name);
    });
  }

  /** Deletes a secret and its ciphertext; returns what was deleted. */
  public SecretMetadata delete(Principal who, String name, String reason) {
    checkName(name);
    String why = Names.reason(reason);
    return inHandle(handle -> {
      SecretMetadata before = lock(handle, name);
      handle.createUpdate("delete from secret where name = :n").bind("n", name).execute();
      audit.append(
          Tx.of(handle),
          who,
          "secret.delete",
          name,
          why,
          Optional.empty(),
          details(
              before.workload(), before.version(), before.releasePolicy(), before.allowWarning()));
      return before;
    });
  }

  /** A stored secret as the release path needs it: metadata and the still-sealed value. */
  record Stored(SecretMetadata metadata, SecretHandle handle) {}

  /**
   * Reads a secret for release inside the caller's transaction (shares a lock with rotate/delete).
   */
  Optional<Stored> forRelease(Tx tx, String name) {
    return tx.handle()
        .createQuery("select * from secret where name = :n for share")
        .bind("n", name)
        .map((rs, ctx) ->
            new Stored(
                mapMetadata(rs, ctx),
                new SecretHandle(
                    name,
                    rs.getInt("version"),
                    new SealedSecret(
                        rs.getString("key_id"),
                        rs.getBytes("wrapped_key"),
                        rs.getBytes("iv"),
                        rs.getBytes("ciphertext")),
                    keys)))
        .findOne();
  }

  /** A unit of work in one transaction that may refuse with a checked exception. */
  @FunctionalInterface
  interface Work<T, E extends Exception> {
    T run(Tx tx) throws E;
  }

  /** Runs {@code work} in one read-committed transaction (the release path, refusal audits). */
  <T, E extends Exception> T inTransaction(Work<T, E> work) throws E {
    return jdbi.inTransaction(
        TransactionIsolationLevel.READ_COMMITTED, handle -> work.run(Tx.of(handle)));
  }

  private SealedSecret seal(String name, int version, byte[] value) {
    try {
      return Envelope.seal(keys, name, version, value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal secret " + name + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> details(
      String workload, int version, String releasePolicy, boolean allowWarning) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("workload", workload);
    details.put("version", version);
    details.put("release_policy", releasePolicy);
    details.put("allow_warning", allowWarning);
    return details;
  }

  private static final String SELECT_METADATA =
      "select name, workload, version, release_policy, allow_warning, key_id, created_at,"
          + " created_by, updated_at, updated_by from secret";

  private static SecretMetadata metadata(Handle handle, String name) {
    return handle
        .createQuery(SELECT_METADATA + " where name = :n")
        .bind("n", name)
        .map(SecretStore::mapMetadata)
        .findOne()
        .orElseThrow(() -> notFound(name));
  }

  private static SecretMetadata lock(Handle handle, String name) {
    return handle
        .createQuery(SELECT_METADATA + " where name = :n for update")
        .bind("n", name)
        .map(SecretStore::mapMetadata)
        .findOne()
        .orElseThrow(() -> notFound(name));
  }

  private static ProblemException notFound(String name) {
    return new ProblemException(KeyBrokerProblem.SECRET_NOT_FOUND, "no secret named " + name);
  }

  private static SecretMetadata mapMetadata(ResultSet rs, StatementContext ctx)
      throws SQLException {
    return new SecretMetadata(
        rs.getString("name"),
        rs.getString("workload"),
        rs.getInt("version"),
        rs.getString("release_policy"),
        rs.getBoolean("allow_warning"),
        rs.getString("key_id"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("updated_by"));
  }

  private <T> T inHandle(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
    return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, callback);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
