// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.Submodule;
import dev.arbiter.token.TrustVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared helpers for key broker tests: TEE keys, real EARs from the server's signer, nonces and
 * proofs.
 */
final class KeyBrokerFixture {
  final TestServer server;
  final TestServer.Client operator;
  final TestServer.Client tee;

  KeyBrokerFixture(TestServer server) {
    this.server = server;
    this.operator = server.operator();
    this.tee = server.anonymous();
  }

  static ECKey newKey() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static TrustVector vector(EarStatus status) {
    TrustVector affirming = new TrustVector(2, 2, 2, 0, 2, 0, 0, 0);
    return switch (status) {
      case AFFIRMING, NONE -> affirming;
      case WARNING -> affirming.withExecutables(33);
      case CONTRAINDICATED -> affirming.withExecutables(96);
    };
  }

  static Submodule submodule(String workload, String version, EarStatus status) {
    return new Submodule(
        status,
        vector(status),
        List.of("arbiter/" + workload + "/appraisal"),
        Map.of(
            "arbiter.workload",
            workload,
            "arbiter.version",
            version,
            "arbiter.policy_revision",
            "ab".repeat(32),
            "arbiter.vulnerabilities",
            List.of(),
            "arbiter.dev",
            false));
  }

  /** A real EAR from the server's own signer, bound to {@code key}. */
  String ear(String workload, String version, EarStatus status, ECKey key) {
    return ear(server.server().services().earSigner(), workload, version, status, key);
  }

  static String ear(
      EarSigner signer, String workload, String version, EarStatus status, ECKey key) {
    return signer.sign(
        Map.of(workload, submodule(workload, version, status)), new byte[32], key.toPublicJWK());
  }

  String nonce() {
    return tee.post("/v1/challenge", Map.of()).json().path("nonce").asText();
  }

  URI url(String name) {
    return server.uri().resolve("/v1/resources/" + name);
  }

  String proof(ECKey key, String name, String nonce, String token, Instant iat) {
    return PossessionProof.create(key, "POST", url(name), nonce, token, iat);
  }

  /** A complete, valid release body for {@code name}. */
  Map<String, Object> body(ECKey key, String name, String token) {
    return Map.of("token", token, "proof", proof(key, name, nonce(), token, Instant.now()));
  }

  TestServer.Response release(String name, Object body) {
    return tee.post("/v1/resources/" + name, body);
  }

  void workload(String name) {
    var response = operator.post("/v1/workloads", Map.of("name", name));
    if (response.status() != 201 && response.status() != 409) {
      throw new IllegalStateException("cannot create workload: " + response.text());
    }
  }

  TestServer.Response put(
      String name, String workload, String value, String policy, boolean allowWarning) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("workload", workload);
    body.put(
        "value",
        Base64.getEncoder()
            .encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    body.put("release_policy", policy);
    body.put("allow_warning", allowWarning);
    return operator.post("/v1/secrets", body);
  }

  /** The newest audit record about {@code target}. */
  JsonNode lastAudit(String target) {
    String body =
        server
            .server()
            .database()
            .jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select body from audit_record where body::jsonb ->> 'target' = :t order by"
                            + " seq desc limit 1")
                    .bind("t", target)
                    .mapTo(String.class)
                    .one());
    try {
      return Json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long auditCount() {
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(
            h -> h.createQuery("select count(*) from audit_record").mapTo(Long.class).one());
  }

  long secretRows(String name) {
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(h ->
            h.createQuery("select count(*) from secret where name = :n")
                .bind("n", name)
                .mapTo(Long.class)
                .one());
  }
}
