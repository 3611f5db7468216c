// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.LocalCa;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.governance.AuditRecord;
import dev.arbiter.server.ArbiterServer;
import dev.arbiter.server.ServerConfig;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admin certs list|revoke} and re-issuing: a revoked or replaced certificate is refused at
 * once on the server that revoked it and, through NOTIFY, on a second replica on the same database;
 * the revocation is audited.
 */
class CertificateRevocationTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void revoke_refusesTheCertificateHereAndOnASecondReplica_andIsAudited(@TempDir Path dir)
      throws Exception {
    LocalCa.Issued bot = issue("ci-bot", Role.PIPELINE);
    try (ArbiterServer second = secondReplica(dir)) {
      assertThat(call(server.uri(), bot, "/v1/workloads")).isEqualTo(200);
      assertThat(call(second.uri(), bot, "/v1/workloads")).isEqualTo(200);

      CliRun revoke =
          cli(
              "admin",
              "certs",
              "revoke",
              "ci-bot",
              "--reason",
              "key left the build host",
              "--json");

      assertThat(revoke.exitCode()).as(revoke.err()).isZero();
      assertThat(revoke.json().path("revoked").asBoolean()).isTrue();
      assertThat(revoke.json().path("fingerprint").asText()).isEqualTo(bot.fingerprint());
      assertThat(call(server.uri(), bot, "/v1/workloads")).isEqualTo(401);
      await(() -> second.services().certificateRevocations().isRevoked(bot.fingerprint()));
      assertThat(call(second.uri(), bot, "/v1/workloads")).isEqualTo(401);
      List<AuditRecord> audit =
          server
              .server()
              .database()
              .inTransaction(tx -> AuditLog.withDetail(tx, "fingerprint", bot.fingerprint()));
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).body().path("action").asText()).isEqualTo("certificate.revoke");
      assertThat(audit.get(0).body().path("reason").asText()).isEqualTo("key left the build host");
      // a replica started later reads the revocation from the database
      assertThat(second.services().certificateRevocations().find(bot.fingerprint())).isPresent();
    }
  }

  @Test
  void list_showsSerialExpiryAndRevocation_forAuditors() throws Exception {
    LocalCa.Issued gone = issue("list-gone", Role.AUDITOR);
    LocalCa.Issued kept = issue("list-kept", Role.AUDITOR);
    assertThat(cli("admin", "certs", "revoke", gone.serial(), "--reason", "left").exitCode())
        .isZero();

    TestServer.Response list = server.as(Role.AUDITOR, "list-reader").get("/v1/admin/certificates");

    assertThat(list.status()).isEqualTo(200);
    JsonNode certificates = list.json().path("certificates");
    JsonNode goneView = byName(certificates, "list-gone");
    JsonNode keptView = byName(certificates, "list-kept");
    assertThat(goneView.path("revoked").asBoolean()).isTrue();
    assertThat(goneView.path("revoked_by").asText()).isEqualTo("operator:operator");
    assertThat(keptView.path("revoked").asBoolean()).isFalse();
    assertThat(keptView.path("serial").asText()).isEqualTo(kept.serial());
    assertThat(keptView.path("not_after").asText()).isEqualTo(kept.notAfter().toString());
    assertThat(keptView.path("role").asText()).isEqualTo("auditor");
    CliRun text = cli("admin", "certs", "list");
    assertThat(text.out()).containsPattern("list-gone\\s+auditor\\s+" + gone.serial() + ".*yes");
  }

  @Test
  void revoke_byAnAuditor_forbidden_andUnknownCertificate_notFound() {
    TestServer.Response auditor =
        server
            .as(Role.AUDITOR, "nosy")
            .post(
                "/v1/admin/certificates/revoke",
                java.util.Map.of("certificate", "operator", "reason", "x"));
    assertThat(auditor.status()).isEqualTo(403);

    CliRun unknown = cli("admin", "certs", "revoke", "nobody-at-all", "--reason", "x", "--json");

    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.json().path("type").asText()).isEqualTo("urn:arbiter:problem:not-found");
    assertThat(unknown.err()).contains("not-found").contains("nobody-at-all");
  }

  @Test
  void issueCert_again_replacesTheMapping_theOldCertificateStopsWorking() throws Exception {
    LocalCa.Issued first = issue("rotating", Role.PIPELINE);
    assertThat(call(server.uri(), first, "/v1/workloads")).isEqualTo(200);

    CliRun again = cli("admin", "issue-cert", "rotating", "--role", "pipeline", "--json");

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.json().path("replaced").get(0).asText()).isEqualTo(first.fingerprint());
    Path dir = server.dataDir().resolve("clients");
    LocalCa.Issued second =
        new LocalCa.Issued(
            dir.resolve("rotating.pem"),
            dir.resolve("rotating-key.pem"),
            again.json().path("fingerprint").asText(),
            null,
            null,
            List.of());
    assertThat(call(server.uri(), first, "/v1/workloads")).isEqualTo(401);
    assertThat(call(server.uri(), second, "/v1/workloads")).isEqualTo(200);
  }

  private static JsonNode byName(JsonNode certificates, String name) {
    for (JsonNode c : certificates) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no certificate " + name + " in " + certificates);
  }

  private static LocalCa.Issued issue(String name, Role role) throws Exception {
    LocalCa ca = LocalCa.load(new DataDir(server.dataDir()), Clock.systemUTC());
    LocalCa.Issued issued = ca.issueClient(name, role, server.server().services().roles());
    // the key files are overwritten by a later issue of the same name: keep copies
    Path copies = Files.createDirectories(server.dataDir().resolve("test-copies"));
    Path cert = Files.copy(issued.certificate(), copies.resolve(issued.fingerprint() + ".pem"));
    Path key = Files.copy(issued.key(), copies.resolve(issued.fingerprint() + "-key.pem"));
    return new LocalCa.Issued(
        cert, key, issued.fingerprint(), issued.serial(), issued.notAfter(), issued.replaced());
  }

  private static CliRun cli(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--data-dir";
    all[args.length + 1] = server.dataDir().toString();
    return CliRun.of(all);
  }

  private static int call(URI base, LocalCa.Issued credential, String path) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(
                TlsContexts.create(
                    credential.certificate(), credential.key(), server.dataDir().resolve("ca.pem")))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    return http.send(
            HttpRequest.newBuilder(base.resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static ArbiterServer secondReplica(Path dir) throws Exception {
    Path source = server.dataDir();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path relative = source.relativize(file);
        if (relative.startsWith("postgres")) {
          continue;
        }
        Files.createDirectories(dir.resolve(relative).getParent());
        Files.copy(file, dir.resolve(relative));
      }
    }
    return ArbiterServer.start(
        ServerConfig.defaults(dir)
            .withPort(0)
            .withDatabaseUrl(Optional.of(server.server().database().replicaUrl())));
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("timed out waiting").isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
