// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.appraisal.Nonces;
import dev.arbiter.auth.DataDir;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.http.Access;
import dev.arbiter.http.Reply;
import dev.arbiter.http.Route;
import dev.arbiter.internal.Encodings;
import dev.arbiter.keybroker.KeyBroker;
import dev.arbiter.keybroker.KeyBrokerProblem;
import dev.arbiter.keybroker.LocalMasterKey;
import dev.arbiter.keybroker.SecretMetadata;
import dev.arbiter.keybroker.SecretStore;
import dev.arbiter.store.Database;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Key broker routes: the open release route {@code POST /v1/resources/{name}} (EAR plus proof of
 * possession; see {@code dev/arbiter/keybroker/README.md}) and operator administration of secrets
 * under {@code /v1/secrets}. Values travel base64 in request bodies and are never returned.
 */
public final class KeyBrokerRoutes {
  private static final long MAX_RELEASE_BODY = 64 * 1024;
  private static final long MAX_SECRET_BODY = 4L * SecretStore.MAX_VALUE_BYTES / 3 + 64 * 1024;

  private final SecretStore secrets;
  private final KeyBroker broker;

  public KeyBrokerRoutes(SecretStore secrets, KeyBroker broker) {
    this.secrets = secrets;
    this.broker = broker;
  }

  /**
   * Both members are checked by the release path, so that a missing one is refused like any other
   * failure.
   */
  record ReleaseBody(@JsonProperty("token") String token, @JsonProperty("proof") String proof) {}

  record PutSecret(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "workload", required = true) String workload,
      @JsonProperty(value = "value", required = true) String value,
      @JsonProperty(value = "release_policy", required = true) String releasePolicy,
      @JsonProperty("allow_warning") Boolean allowWarning,
      @JsonProperty("reason") String reason) {}

  record SetPolicy(
      @JsonProperty(value = "release_policy", required = true) String releasePolicy,
      @JsonProperty("allow_warning") Boolean allowWarning,
      @JsonProperty(value = "reason", required = true) String reason) {}

  record Rotate(
      @JsonProperty(value = "value", required = true) String value,
      @JsonProperty(value = "reason", required = true) String reason) {}

  /**
   * Wires the key broker from the server's services; the master key lives in the data directory.
   */
  public static KeyBrokerRoutes create(
      Database database,
      DataDir dir,
      AuditLog audit,
      Nonces nonces,
      Supplier<JWKSet> trustedKeys,
      Clock clock,
      boolean dev,
      Supplier<List<URI>> externalUrls)
      throws IOException {
    SecretStore store =
        new SecretStore(database, LocalMasterKey.loadOrCreate(dir.masterKey()), audit, clock);
    return new KeyBrokerRoutes(
        store, new KeyBroker(store, audit, nonces, trustedKeys, clock, dev, externalUrls));
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
                "/v1/resources/{name}",
                Access.OPEN,
                "Release a secret to an attested TEE: EAR + proof of possession of its cnf key;"
                    + " answers a JWE (ECDH-ES, A256GCM) to that key",
                Map.of(
                    "token",
                    "<EAR: compact JWS from POST /v1/attest>",
                    "proof",
                    "<compact JWS, header {\"typ\":\"arbiter-pop+jwt\",\"alg\":\"ES256\"}, signed"
                        + " by the cnf key over"
                        + " {\"htm\":\"POST\",\"htu\":\"https://127.0.0.1:8443/v1/resources/db-password\",\"nonce\":\"<from"
                        + " POST /v1/challenge>\",\"iat\":1767225600,\"ath\":\"<base64url SHA-256"
                        + " of the token>\"}>"),
                call -> {
                  ReleaseBody body = call.body(ReleaseBody.class);
                  String path =
                      call.requestUri().contains("?")
                          ? call.requestUri().substring(0, call.requestUri().indexOf('?'))
                          : call.requestUri();
                  KeyBroker.Released released =
                      broker.release(
                          new KeyBroker.Request(
                              call.path("name"), body.token(), body.proof(), call.method(), path));
                  return Reply.ok(
                      Map.of(
                          "resource",
                          released.name(),
                          "version",
                          released.version(),
                          "jwe",
                          released.jwe()));
                })
            .withMaxBody(MAX_RELEASE_BODY),
        Route.post(
                "/v1/secrets",
                Access.OPERATOR,
                "Store a new secret (value base64) for a workload with its CEL release policy",
                Map.of(
                    "name",
                    "db-password",
                    "workload",
                    "payments",
                    "value",
                    "czNjcjN0",
                    "release_policy",
                    "status == 'affirming' && version in ['1.4.2']",
                    "allow_warning",
                    false,
                    "reason",
                    "initial provisioning"),
                call -> {
                  PutSecret body = call.body(PutSecret.class);
                  return Reply.created(
                      json(
                          secrets.put(
                              call.principal(),
                              body.name(),
                              body.workload(),
                              decode(body.value()),
                              body.releasePolicy(),
                              Boolean.TRUE.equals(body.allowWarning()),
                              Optional.ofNullable(body.reason()))));
                })
            .withMaxBody(MAX_SECRET_BODY),
        Route.get(
            "/v1/secrets",
            Access.AUDIT,
            "List secrets (metadata only, never values)",
            call ->
                Reply.ok(
                    new SecretList(secrets.list().stream().map(KeyBrokerRoutes::json).toList()))),
        Route.get(
            "/v1/secrets/{name}",
            Access.AUDIT,
            "One secret's metadata (never its value)",
            call -> Reply.ok(json(secrets.metadata(call.path("name"))))),
        Route.put(
            "/v1/secrets/{name}/policy",
            Access.OPERATOR,
            "Replace a secret's release policy",
            Map.of(
                "release_policy",
                "status == 'affirming' && !dev",
                "allow_warning",
                false,
                "reason",
                "no sample TEEs"),
            call -> {
              SetPolicy body = call.body(SetPolicy.class);
              return Reply.ok(
                  json(
                      secrets.setPolicy(
                          call.principal(),
                          call.path("name"),
                          body.releasePolicy(),
                          Boolean.TRUE.equals(body.allowWarning()),
                          body.reason())));
            }),
        Route.post(
                "/v1/secrets/{name}/rotate",
                Access.OPERATOR,
                "Replace a secret's value (new version, fresh data key)",
                Map.of("value", "bjN3LXMzY3IzdA", "reason", "quarterly rotation"),
                call -> {
                  Rotate body = call.body(Rotate.class);
                  return Reply.ok(
                      json(
                          secrets.rotate(
                              call.principal(),
                              call.path("name"),
                              decode(body.value()),
                              body.reason())));
                })
            .withMaxBody(MAX_SECRET_BODY),
        Route.delete(
            "/v1/secrets/{name}",
            Access.OPERATOR,
            "Delete a secret and its ciphertext (?reason= required)",
            call ->
                Reply.ok(
                    json(
                        secrets.delete(
                            call.principal(),
                            call.path("name"),
                            call.query("reason").orElse(null))))));
  }

  private static byte[] decode(String base64) {
    if (base64 == null) {
      throw new dev.arbiter.problem.ProblemException(
          KeyBrokerProblem.INVALID_SECRET_VALUE, "value is required");
    }
    try {
      return Encodings.base64(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new dev.arbiter.problem.ProblemException(
          KeyBrokerProblem.INVALID_SECRET_VALUE,
          "value must be base64 (standard or url-safe): " + e.getMessage());
    }
  }

  /** A secret's metadata as the API shows it (never its value). */
  record SecretBody(
      @JsonProperty("name") String name,
      @JsonProperty("workload") String workload,
      @JsonProperty("version") int version,
      @JsonProperty("release_policy") String releasePolicy,
      @JsonProperty("allow_warning") boolean allowWarning,
      @JsonProperty("key_id") String keyId,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("updated_at") String updatedAt,
      @JsonProperty("updated_by") String updatedBy) {}

  /** The list of secrets. */
  record SecretList(@JsonProperty("secrets") List<SecretBody> secrets) {}

  static SecretBody json(SecretMetadata secret) {
    return new SecretBody(
        secret.name(),
        secret.workload(),
        secret.version(),
        secret.releasePolicy(),
        secret.allowWarning(),
        secret.keyId(),
        secret.createdAt().toString(),
        secret.createdBy(),
        secret.updatedAt().toString(),
        secret.updatedBy());
  }
}
